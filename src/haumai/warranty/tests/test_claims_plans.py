"""Claims (coverage reasons, decisions, replacement and refund), extended plans, extensions, import, e-card message."""

from __future__ import annotations

import datetime as dt

import pytest

from haumai.catalog.models import Category, Product, Unit
from haumai.core import clock
from haumai.core.errors import Conflict, ValidationFailed
from haumai.messaging.models import Delivery
from haumai.warranty import policy, services
from haumai.warranty.models import (
    Claim,
    ClaimStatus,
    ExtendedPlan,
    ExtensionKind,
    Warranty,
    WarrantyPolicy,
    WarrantyPolicyComponent,
    WarrantyStatus,
)
from haumai.warranty.tests.conftest import Shop, deliver


def _warranty(shop: Shop, serial: str = "SN-AN-001") -> Warranty:
    deliver(shop.an, sku="IP15", serial=serial)
    return Warranty.objects.select_related("unit").get(unit__serial=serial)


def test_claim_coverage_reasons_and_one_open_claim(shop: Shop, django_user_model: type) -> None:
    warranty = _warranty(shop)
    claim = services.file_claim(actor=None, warranty=warranty, description="Màn hình sọc xanh", origin="portal")
    assert claim.code.startswith("WC-2026-") and claim.covered
    assert [n["code"] for n in claim.notes] == ["within_term", "exclusions_apply"]
    assert policy.explain(claim.notes[0]) == "Under warranty until 28/02/2027"
    with pytest.raises(Conflict):
        services.file_claim(actor=None, warranty=warranty, description="Lần nữa", origin="portal")
    assert Claim.objects.count() == 1


def test_expired_warranty_claim_is_not_covered_and_needs_a_note(shop: Shop, django_user_model: type) -> None:
    warranty = _warranty(shop)
    agent = django_user_model.objects.create(username="agent")
    with clock.frozen(dt.datetime(2027, 3, 5, 3, tzinfo=dt.UTC)):
        claim = services.file_claim(actor=agent, warranty=warranty, description="Không lên nguồn", origin="console")
        assert not claim.covered
        assert policy.explain(claim.notes[0]) == "The warranty ended on 28/02/2027"
        with pytest.raises(ValidationFailed):
            services.decide_claim(actor=agent, claim=claim, accept=True, resolution="repair")
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SUBMITTED
        decided = services.decide_claim(actor=agent, claim=claim, accept=True, resolution="repair", note="Khách VIP")
        assert decided.notes[-1]["code"] == "overridden"
        with pytest.raises(Conflict):
            services.decide_claim(actor=agent, claim=claim, accept=False, note="đổi ý")
        in_service = services.resolve_claim(actor=agent, claim=claim)
        assert in_service.status == ClaimStatus.IN_SERVICE  # the repairs app takes it from here


def test_replacement_starts_a_fresh_warranty(shop: Shop, django_user_model: type) -> None:
    warranty = _warranty(shop)
    agent = django_user_model.objects.create(username="agent")
    claim = services.file_claim(actor=None, warranty=warranty, description="Hỏng loa", origin="portal")
    services.decide_claim(actor=agent, claim=claim, accept=True, resolution="replacement")
    with pytest.raises(ValidationFailed):
        services.resolve_claim(actor=agent, claim=claim)  # no serial given
    resolved = services.resolve_claim(actor=agent, claim=claim, replacement_serial="SN-NEW-9")
    fresh = resolved.replacement_warranty
    assert fresh is not None and fresh.unit.serial == "SN-NEW-9"
    assert (fresh.starts_on, fresh.ends_on) == (dt.date(2026, 6, 10), dt.date(2027, 6, 9))
    warranty.refresh_from_db()
    assert warranty.status == WarrantyStatus.REPLACED and warranty.replaced_by == fresh
    with pytest.raises(ValidationFailed):  # a claim on the replaced unit
        services.file_claim(actor=None, warranty=warranty, description="Lại hỏng", origin="portal")


def test_refund_resolution_opens_a_return_and_keeps_the_cover_until_the_money_is_back(
    shop: Shop, make_staff: object
) -> None:
    warranty = _warranty(shop)
    manager = make_staff("manager")  # type: ignore[operator]
    claim = services.file_claim(actor=None, warranty=warranty, description="Lỗi main", origin="api")
    services.decide_claim(actor=manager, claim=claim, accept=True, resolution="refund")
    resolved = services.resolve_claim(
        actor=manager,
        claim=claim,
        refund_method="bank_transfer",
        bank_account={"bank": "VCB", "number": "0011001234567", "name": "NGUYEN VAN AN"},
    )
    assert resolved.status == ClaimStatus.RESOLVED and resolved.return_code.startswith("RMA-")
    warranty.refresh_from_db()
    assert warranty.status == WarrantyStatus.ACTIVE and warranty.void_reason == ""


def test_plan_pro_rata_refund_and_coverage_after_the_warranty(shop: Shop) -> None:
    warranty = _warranty(shop)
    plan = ExtendedPlan.objects.create(code="care-12", name="Care+ 12 tháng", price=1_200_000, duration=12)
    coverage, created = services.sell_plan(actor=None, warranty=warranty, plan=plan, external_id="POS-1")
    again, created_again = services.sell_plan(actor=None, warranty=warranty, plan=plan, external_id="POS-1")
    assert created and not created_again and again.pk == coverage.pk
    assert (coverage.starts_on, coverage.ends_on) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))
    with clock.frozen(dt.datetime(2027, 6, 1, 3, tzinfo=dt.UTC)):
        decision = services.coverage_for(warranty)
        assert decision.covered and [n["code"] for n in decision.notes][:2] == ["expired_on", "extended_plan"]
    assert (
        services.pro_rata_refund(
            price=1_200_000,
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2028, 2, 29),
            cancelled_on=dt.date(2026, 6, 10),
        )
        == 1_200_000
    )
    assert (
        services.pro_rata_refund(
            price=366_000,
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2028, 2, 29),
            cancelled_on=dt.date(2027, 8, 31),
        )
        == 182_000
    )  # 182 of 366 days unused
    with clock.frozen(dt.datetime(2027, 8, 31, 3, tzinfo=dt.UTC)):
        cancelled = services.cancel_plan(actor=None, coverage=coverage)
    assert cancelled.refund_amount == 1_200_000 * 182 // 366
    with pytest.raises(Conflict):
        services.cancel_plan(actor=None, coverage=coverage)


def test_days_in_service_move_the_end_date_once_per_reference(shop: Shop) -> None:
    warranty = _warranty(shop)
    services.extend_warranty(actor=None, warranty=warranty, kind=ExtensionKind.SERVICE_DAYS, days=12, reference="RO-1")
    services.extend_warranty(actor=None, warranty=warranty, kind=ExtensionKind.SERVICE_DAYS, days=12, reference="RO-1")
    warranty.refresh_from_db()
    assert warranty.ends_on == dt.date(2027, 3, 12) and warranty.base_ends_on == dt.date(2027, 2, 28)
    assert warranty.extensions.count() == 1


def test_policy_precedence_and_component_terms(shop: Shop) -> None:
    category = Category.objects.create(code="dieu-hoa", name="Điều hòa")
    Product.objects.filter(sku="FAN").update(category=category)
    rule = WarrantyPolicy.objects.create(
        code="dieu-hoa",
        name="Điều hòa 2 năm",
        category=category,
        duration=24,
        start_rule="delivery",
        responsibility="brand",
        service_name="Daikin Care",
        service_phone="1800 6777",
    )
    WarrantyPolicyComponent.objects.create(policy=rule, name_vi="Máy nén", duration=10 * 12)
    deliver(shop.an, sku="FAN", serial="AC-1")
    warranty = Warranty.objects.get(unit__serial="AC-1")
    assert warranty.policy == rule and warranty.ends_on == dt.date(2028, 3, 2)
    assert policy.component_ends(warranty)[0]["ends_on"] == dt.date(2036, 3, 2)
    assert policy.policy_for(Product.objects.get(sku="IP15")).code == "default-12m-purchase-brand"
    assert policy.policy_for(Product.objects.get(sku="CASE")) is None


def test_import_is_all_or_nothing(shop: Shop) -> None:
    good = services.ImportRow(
        serial="OLD-1", sku="IP15", phone="0911000111", full_name="Lê Văn Cũ", purchased_on=dt.date(2025, 12, 1)
    )
    bad = services.ImportRow(serial="OLD-2", sku="NOPE", phone="12", purchased_on=dt.date(2025, 12, 1))
    with pytest.raises(ValidationFailed) as refused:
        services.import_warranties(actor=None, rows=[good, bad])
    assert {e.field for e in refused.value.errors} == {"rows.1.sku", "rows.1.phone"}
    assert not Warranty.objects.exists() and not Unit.objects.filter(serial="OLD-1").exists()
    created = services.import_warranties(actor=None, rows=[good])
    assert created[0].ends_on == dt.date(2026, 11, 30) and created[0].customer.full_name == "Lê Văn Cũ"
    with pytest.raises(ValidationFailed):
        services.import_warranties(actor=None, rows=[good])  # already has a warranty
    assert Warranty.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_started_warranty_queues_the_card_message(shop: Shop) -> None:
    deliver(shop.an, sku="IP15", serial="SN-CARD-1")
    delivery = Delivery.objects.get(template_key="warranty.started")
    assert delivery.channel == "email" and "SN-CARD-1" in delivery.body_text
    assert "/portal/warranty/card/" in delivery.body_text and "28/02/2027" in delivery.body_text
