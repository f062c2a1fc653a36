"""Editing and closing a campaign in the console, and giving its codes to every customer of a segment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from haumai.core import clock, scheduler
from haumai.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.loyalty.models import SegmentIssuance, Voucher, VoucherCampaign
from haumai.loyalty.services import campaigns, vouchers
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.loyalty.tests.test_concurrency import _race
from haumai.segments.services import SegmentInput, save_segment

pytestmark = pytest.mark.django_db


def make_campaign(code: str = "CAMON", **extra: Any) -> VoucherCampaign:
    now = clock.now()
    fields: dict[str, Any] = {
        "code": code, "name": "Cảm ơn", "code_kind": "unique", "discount_kind": "amount", "amount_vnd": 50_000,
        "percent": 0, "max_discount_vnd": 0, "min_order_vnd": 0, "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=30),
    }  # fmt: skip
    fields.update(extra)
    return vouchers.create_campaign(actor=None, data=vouchers.CampaignInput(**fields))


def changes(campaign: VoucherCampaign, **extra: Any) -> campaigns.CampaignChanges:
    fields: dict[str, Any] = {
        "name": campaign.name, "discount_kind": campaign.discount_kind, "amount_vnd": campaign.amount_vnd,
        "percent": campaign.percent, "max_discount_vnd": campaign.max_discount_vnd,
        "min_order_vnd": campaign.min_order_vnd, "starts_at": campaign.starts_at, "ends_at": campaign.ends_at,
        "per_customer_limit": campaign.per_customer_limit, "points_price": campaign.points_price,
    }  # fmt: skip
    fields.update(extra)
    return campaigns.CampaignChanges(**fields)


def redeem(code: str, customer: Any, key: str) -> Any:
    return vouchers.redeem(actor=None, code=code, customer=customer, order_reference=f"POS-{key}",
                           order_total_vnd=500_000, idempotency_key=key)  # fmt: skip


def run_issuance() -> int:
    source = next(s for s in scheduler.registered() if s.name == "loyalty.segment_issuance")
    return scheduler.run_source(source, batch_size=10)


def test_a_manager_edits_a_campaign_and_bad_input_changes_nothing(shop: Shop, make_staff: Any) -> None:
    manager, agent = make_staff("manager"), make_staff("agent")
    campaign = make_campaign()
    later = campaign.ends_at + dt.timedelta(days=10)
    saved = campaigns.update_campaign(
        actor=manager, campaign=campaign, data=changes(campaign, name="Tri ân", ends_at=later, min_order_vnd=300_000)
    )
    assert (saved.name, saved.ends_at, saved.min_order_vnd) == ("Tri ân", later, 300_000)
    assert Event.objects.filter(name="loyalty.campaign_changed").count() == 1
    with pytest.raises(ValidationFailed) as refused:
        campaigns.update_campaign(actor=manager, campaign=saved, data=changes(saved, ends_at=saved.starts_at))
    assert [error.field for error in refused.value.errors] == ["ends_at"]
    with pytest.raises(Forbidden):
        campaigns.update_campaign(actor=agent, campaign=saved, data=changes(saved, name="X"))
    voucher = vouchers.issue_for_journey(campaign_code="CAMON", customer=shop.an, reference="r1")
    redeem(voucher.code, shop.an, "k1")
    with pytest.raises(ValidationFailed) as refused:  # a code was used: its value is fixed now
        campaigns.update_campaign(actor=manager, campaign=saved, data=changes(saved, amount_vnd=80_000))
    assert refused.value.errors[0].code == "already_redeemed"
    saved.refresh_from_db()
    assert (saved.name, saved.amount_vnd) == ("Tri ân", 50_000)


def test_closing_stops_issuance_and_keeps_given_codes_redeemable(shop: Shop, make_staff: Any) -> None:
    manager = make_staff("manager")
    campaign = make_campaign()
    given = vouchers.issue_for_journey(campaign_code="CAMON", customer=shop.an, reference="r1")
    with pytest.raises(ValidationFailed):
        campaigns.close_campaign(actor=manager, campaign=campaign, void_codes=False, reason=" ")
    campaigns.close_campaign(actor=manager, campaign=campaign, void_codes=False, reason="Hết ngân sách")
    with pytest.raises(DomainError) as refused:
        vouchers.issue_goodwill_voucher(actor=manager, campaign=campaign, customer=shop.binh, reason="Xin lỗi")
    assert refused.value.code == "campaign_closed"
    assert Voucher.objects.count() == 1
    redemption, created = redeem(given.code, shop.an, "k1")
    assert created and redemption.discount_vnd == 50_000
    with pytest.raises(Conflict):  # closed: no more edits, and voiding now is a different decision
        campaigns.close_campaign(actor=manager, campaign=campaign, void_codes=True, reason="Đổi ý")
    with pytest.raises(Conflict):
        campaigns.update_campaign(actor=manager, campaign=campaign, data=changes(campaign, name="X"))


def test_closing_with_void_refuses_the_codes_given(shop: Shop, make_staff: Any) -> None:
    campaign = make_campaign()
    given = vouchers.issue_for_journey(campaign_code="CAMON", customer=shop.an, reference="r1")
    campaigns.close_campaign(actor=make_staff("manager"), campaign=campaign, void_codes=True, reason="Lỗi cấu hình")
    with pytest.raises(DomainError) as refused:
        redeem(given.code, shop.an, "k1")
    assert refused.value.code == "voucher_void"
    event = Event.objects.get(name="loyalty.campaign_closed")
    assert event.payload["voided"] is True


@pytest.fixture
def buyers(shop: Shop, make_staff: Any) -> Any:
    """A segment 'bought at least once': An, Bình and a third customer."""
    chi = create_customer(actor=None, full_name="Lê Thị Chi", phone="0903111222")
    for customer in (shop.an, shop.binh, chi):
        deliver(customer, total=1_000_000)
    manager = make_staff("manager")
    segment = save_segment(actor=manager, data=SegmentInput(name="Đã mua hàng", rules={"min_orders": "1"}))
    assert segment.size == 3
    return manager, segment


def test_codes_go_to_every_segment_member_once_in_the_worker(shop: Shop, buyers: Any) -> None:
    manager, segment = buyers
    campaign = make_campaign()
    vouchers.issue_for_journey(campaign_code="CAMON", customer=shop.an, reference="r1")  # another code of An's
    issuance = campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key=segment.key)
    assert Voucher.objects.count() == 1  # nothing yet: the worker issues them
    assert run_issuance() == 1
    issuance.refresh_from_db()
    assert (issuance.issued_count, issuance.finished_at is not None) == (3, True)
    owners = sorted(Voucher.objects.filter(idempotency_key__startswith="segment:").values_list("owner_id", flat=True))
    assert len(owners) == 3 and len(set(owners)) == 3
    assert Event.objects.filter(name="loyalty.voucher_issued", payload__source="segment").count() == 3
    again = campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key=segment.key)
    assert again.pk == issuance.pk and run_issuance() == 1
    again.refresh_from_db()
    assert (again.issued_count, again.skipped_count) == (3, 3)
    assert Voucher.objects.filter(idempotency_key__startswith="segment:").count() == 3
    assert run_issuance() == 0


def test_segment_issuance_refuses_bad_input_and_stops_when_the_campaign_closes(
    shop: Shop, buyers: Any, make_staff: Any
) -> None:
    manager, segment = buyers
    campaign = make_campaign()
    with pytest.raises(ValidationFailed):
        campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key="khong-co")
    with pytest.raises(Forbidden):
        campaigns.issue_to_segment(actor=make_staff("agent"), campaign=campaign, segment_key=segment.key)
    shared = make_campaign("CHAOHE", code_kind="shared", shared_code="CHAOHE1")
    with pytest.raises(ValidationFailed):
        campaigns.issue_to_segment(actor=manager, campaign=shared, segment_key=segment.key)
    campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key=segment.key)
    campaigns.close_campaign(actor=manager, campaign=campaign, void_codes=False, reason="Dừng")
    assert run_issuance() == 0
    assert SegmentIssuance.objects.get().error and not Voucher.objects.filter(owner__isnull=False).exists()


def test_console_edit_close_and_segment_pages(shop: Shop, buyers: Any, make_staff: Any) -> None:
    _manager, segment = buyers
    make_campaign()
    client = Client()
    client.force_login(make_staff("manager"))
    page = client.get("/console/loyalty/campaigns/CAMON/")
    assert page.status_code == 200 and b'id="segment-form"' in page.content and b'id="close-form"' in page.content
    edit = client.get("/console/loyalty/campaigns/CAMON/edit/")
    assert edit.status_code == 200 and 'value="Cảm ơn"' in edit.content.decode()
    assert 'value="2026-07-10"' in edit.content.decode()  # the inclusive last day of the campaign
    bad = client.post("/console/loyalty/campaigns/CAMON/edit/", {
        "name": "", "discount_kind": "amount", "amount_vnd": "50000", "percent": "0", "max_discount_vnd": "0",
        "min_order_vnd": "0", "starts_on": "2026-06-09", "ends_on": "2026-07-09", "per_customer_limit": "1",
        "points_price": "0", "purpose": "",
    })  # fmt: skip
    assert bad.status_code == 200 and b"invalid-feedback" in bad.content
    good = client.post("/console/loyalty/campaigns/CAMON/edit/", {
        "name": "Tri ân", "discount_kind": "amount", "amount_vnd": "70000", "percent": "0", "max_discount_vnd": "0",
        "min_order_vnd": "0", "starts_on": "2026-06-09", "ends_on": "2026-07-31", "per_customer_limit": "1",
        "points_price": "0", "purpose": "birthday",
    })  # fmt: skip
    assert good.status_code == 302
    campaign = VoucherCampaign.objects.get(code="CAMON")
    assert (campaign.name, campaign.amount_vnd, campaign.purpose) == ("Tri ân", 70_000, "birthday")
    assert client.post("/console/loyalty/campaigns/CAMON/segment/", {"segment": segment.key}).status_code == 302
    assert SegmentIssuance.objects.filter(campaign=campaign).count() == 1
    assert client.post("/console/loyalty/campaigns/CAMON/close/", {"reason": "Xong"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is not None and not campaign.codes_voided
    agent = Client()
    agent.force_login(make_staff("agent"))
    assert agent.get("/console/loyalty/campaigns/CAMON/edit/").status_code == 403
    assert agent.post("/console/loyalty/campaigns/CAMON/close/", {"reason": "x", "void_codes": "on"}).status_code == 403
    campaign.refresh_from_db()
    assert not campaign.codes_voided


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_workers_give_each_member_one_code(shop: Shop, buyers: Any) -> None:
    manager, segment = buyers
    campaign = make_campaign()
    other = save_segment(actor=manager, data=SegmentInput(name="Mua từ 1 đơn", rules={"min_orders": "1"}))
    campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key=segment.key)
    campaigns.issue_to_segment(actor=manager, campaign=campaign, segment_key=other.key)

    results, failures = _race(6, lambda _n: run_issuance())
    assert failures == [] and sum(results) == 2
    assert Voucher.objects.filter(campaign=campaign).count() == 3
    assert set(SegmentIssuance.objects.values_list("issued_count", flat=True)) == {0, 3}
