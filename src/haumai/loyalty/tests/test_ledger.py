"""The points ledger: earn on delivery, FIFO spends, expiry, clawback on returns, debt rule, tiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Sum

from haumai.core import clock, scheduler
from haumai.core.errors import DomainError
from haumai.events.models import Event
from haumai.loyalty import selectors
from haumai.loyalty.models import EarnRule, EntryKind, Membership, PointsAllocation, PointsEntry, RuleScope
from haumai.loyalty.services import earning, ledger
from haumai.loyalty.tests.conftest import Shop, deliver

pytestmark = pytest.mark.django_db


def spend(customer: Any, points: int, key: str, reference: str = "POS-1") -> PointsEntry:
    entry, _created = ledger.spend_points(
        customer=customer, points=points, actor=None, idempotency_key=key, order_reference=reference
    )
    return entry


def run_scheduler(name: str) -> int:
    source = next(s for s in scheduler.registered() if s.name == name)
    return scheduler.run_source(source, batch_size=100)


def test_delivery_earns_once_by_the_base_rule(shop: Shop) -> None:
    order = deliver(shop.an, total=2_345_000)
    earn = PointsEntry.objects.get(order=order, kind=EntryKind.EARN)
    assert earn.points == 234  # 1 point per 10.000 VND, rounded down
    assert earn.expires_at == clock.now() + dt.timedelta(days=365)
    assert earning.earn_for_order(order=order, actor=None) == earn  # a second delivery event earns nothing more
    assert selectors.balance(shop.an.pk) == 234
    assert Event.objects.filter(name="loyalty.points_earned", customer=shop.an).count() == 1


def test_category_and_product_rules_and_the_tier_multiplier(shop: Shop) -> None:
    from haumai.catalog.models import Product

    EarnRule.objects.create(
        name="Ốp lưng x2", scope=RuleScope.PRODUCT, product=Product.objects.get(sku="CASE"), vnd_per_point=5_000
    )
    case_order = deliver(shop.an, total=150_000, sku="CASE")
    assert PointsEntry.objects.get(order=case_order).points == 30
    Membership.objects.filter(customer=shop.an).update(tier="gold")
    fan_order = deliver(shop.an, total=1_000_000)
    assert PointsEntry.objects.get(order=fan_order).points == 125  # 100 x 1.25 for Gold


def test_spend_consumes_the_oldest_expiring_lots_first(shop: Shop) -> None:
    first = PointsEntry.objects.get(order=deliver(shop.an, total=1_000_000))
    with clock.frozen(clock.now() + dt.timedelta(days=10)):
        second = PointsEntry.objects.get(order=deliver(shop.an, total=2_000_000))
        entry = spend(shop.an, 150, "k1")
    allocations = {a.lot_id: a.points for a in PointsAllocation.objects.filter(consumer=entry)}
    assert allocations == {first.pk: 100, second.pk: 50}
    assert selectors.balance(shop.an.pk) == 150
    first.refresh_from_db()
    assert first.expiry_handled  # nothing left of it to expire


def test_a_spend_above_the_balance_is_refused_and_changes_nothing(shop: Shop) -> None:
    deliver(shop.an, total=1_000_000)
    before = PointsEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        spend(shop.an, 101, "k2")
    assert refused.value.code == "insufficient_points" and refused.value.errors[0].field == "points"
    assert PointsEntry.objects.count() == before and selectors.balance(shop.an.pk) == 100


def test_a_replayed_spend_returns_the_first_entry(shop: Shop) -> None:
    deliver(shop.an, total=1_000_000)
    first = spend(shop.an, 40, "same")
    again, created = ledger.spend_points(customer=shop.an, points=40, actor=None, idempotency_key="same")
    assert again == first and not created and selectors.balance(shop.an.pk) == 60
    with pytest.raises(DomainError) as conflict:
        spend(shop.an, 41, "same")
    assert conflict.value.code == "idempotency_conflict"


def test_points_expire_after_the_rolling_period_by_the_scheduler(shop: Shop) -> None:
    lot = PointsEntry.objects.get(order=deliver(shop.an, total=1_000_000))
    spend(shop.an, 30, "k3")
    assert run_scheduler("loyalty.expiry") == 0
    with clock.frozen(lot.expires_at + dt.timedelta(minutes=1)):
        assert ledger.available_points(shop.an.pk) == 0  # an expired lot is not spendable even before the tick
        assert run_scheduler("loyalty.expiry") == 1
        assert run_scheduler("loyalty.expiry") == 0
    expiry = PointsEntry.objects.get(kind=EntryKind.EXPIRY)
    assert expiry.points == -70 and expiry.allocations.get().lot_id == lot.pk
    assert selectors.balance(shop.an.pk) == 0


def test_a_partial_return_takes_back_its_share_and_gives_back_spent_points(shop: Shop) -> None:
    deliver(shop.an, total=3_000_000)  # 300 points to pay with
    order = deliver(shop.an, total=2_000_000, quantity=4)  # 200 points
    spend(shop.an, 100, "pay", reference=order.code)  # points paid part of this order
    result = earning.claw_back_for_return(order=order, return_code="RMA-2026-000001", returned_vnd=500_000, actor=None)
    assert result == {"clawed": 50, "shortfall": 0, "restored": 25}
    assert selectors.balance(shop.an.pk) == 300 + 200 - 100 - 50 + 25
    again = earning.claw_back_for_return(order=order, return_code="RMA-2026-000001", returned_vnd=500_000, actor=None)
    assert again["clawed"] == 0  # the same return twice takes nothing more
    rest = earning.claw_back_for_return(order=order, return_code="RMA-2026-000002", returned_vnd=9_000_000, actor=None)
    assert rest["clawed"] == 150  # never more than the order earned
    assert -PointsEntry.objects.filter(kind=EntryKind.CLAWBACK).aggregate(s=Sum("points"))["s"] == 200


def test_a_return_after_the_points_were_spent_is_written_off_without_a_debt_rule(shop: Shop) -> None:
    order = deliver(shop.an, total=1_000_000)
    spend(shop.an, 100, "all")
    result = earning.claw_back_for_return(
        order=order, return_code="RMA-2026-000003", returned_vnd=1_000_000, actor=None
    )
    assert result == {"clawed": 0, "shortfall": 100, "restored": 0}
    assert selectors.balance(shop.an.pk) == 0  # never negative
    clawback = PointsEntry.objects.get(kind=EntryKind.CLAWBACK)
    assert clawback.shortfall_points == 100 and clawback.points == 0
    event = Event.objects.get(name="loyalty.points_clawed_back")
    assert event.payload["written_off"] == 100 and event.payload["debt"] == 0


def test_with_the_debt_rule_the_shortfall_is_a_debt_the_next_earn_pays(shop: Shop, settings: Any) -> None:
    settings.HAUMAI_LOYALTY_DEBT_ALLOWED = True
    order = deliver(shop.an, total=1_000_000)
    spend(shop.an, 80, "most")
    result = earning.claw_back_for_return(
        order=order, return_code="RMA-2026-000004", returned_vnd=1_000_000, actor=None
    )
    assert result["clawed"] == 20 and result["shortfall"] == 80
    assert selectors.balance(shop.an.pk) == -80
    assert PointsEntry.objects.get(kind=EntryKind.DEBT).points == -80
    with pytest.raises(DomainError):
        spend(shop.an, 1, "while-in-debt")
    deliver(shop.an, total=1_500_000)  # 150 points: 80 pay the debt
    assert selectors.balance(shop.an.pk) == 70 and ledger.available_points(shop.an.pk) == 70


def test_tier_upgrades_at_once_and_downgrades_only_at_review(shop: Shop) -> None:
    deliver(shop.an, total=6_000_000)
    membership = Membership.objects.get(customer=shop.an)
    assert membership.tier == "silver"
    assert Event.objects.filter(name="loyalty.tier_upgraded", customer=shop.an).exists()
    deliver(shop.an, total=15_000_000)
    membership.refresh_from_db()
    assert membership.tier == "gold"
    review = membership.review_at
    with clock.frozen(review - dt.timedelta(days=1)):
        assert run_scheduler("loyalty.tier_reviews") == 0
    with clock.frozen(review + dt.timedelta(days=1)):  # the spend left the window
        assert run_scheduler("loyalty.tier_reviews") == 1
    membership.refresh_from_db()
    assert membership.tier == "member" and membership.review_at > review
    assert Event.objects.filter(name="loyalty.tier_downgraded", customer=shop.an).exists()


def test_staff_adjustment_needs_a_reason_and_permission(shop: Shop, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    with pytest.raises(DomainError) as forbidden:
        ledger.adjust_points(customer=shop.an, points=50, reason="Xin lỗi", actor=agent)
    assert forbidden.value.status == 403
    with pytest.raises(DomainError) as no_reason:
        ledger.adjust_points(customer=shop.an, points=50, reason=" ", actor=manager)
    assert no_reason.value.errors[0].field == "reason"
    assert PointsEntry.objects.count() == 0
    ledger.adjust_points(customer=shop.an, points=50, reason="Xin lỗi vì giao chậm", actor=manager)
    with pytest.raises(DomainError):
        ledger.adjust_points(customer=shop.an, points=-51, reason="Sai", actor=manager)
    ledger.adjust_points(customer=shop.an, points=-20, reason="Nhập nhầm", actor=manager)
    assert selectors.balance(shop.an.pk) == 30
    assert Event.objects.get(name="loyalty.points_adjusted", payload__points=50).actor_id == manager.pk


def test_a_refunded_return_event_claws_back_through_the_subscriber(shop: Shop) -> None:
    from haumai.events.services import record_event
    from haumai.loyalty.tests.conftest import dispatch
    from haumai.returns.models import ReturnLine, ReturnRequest

    order = deliver(shop.an, total=2_000_000, quantity=2)  # 200 points
    line = order.lines.get()
    request = ReturnRequest.objects.create(code="RMA-2026-000009", customer=shop.an, order=order, status="refunded",
                                           origin="portal", reason="defective", resolution="refund_original",
                                           logistics="store_dropoff", requested_at=clock.now())  # fmt: skip
    ReturnLine.objects.create(request=request, order_line=line, product=line.product, quantity=1,
                              unit_price=1_000_000, received_quantity=1)  # fmt: skip
    record_event(name="return.refunded", customer=shop.an, subject=request, payload={"return_code": request.code})
    dispatch()
    assert selectors.balance(shop.an.pk) == 100  # one of two items came back: half the points
    record_event(name="return.refunded", customer=shop.an, subject=request, payload={"return_code": request.code})
    dispatch()
    assert selectors.balance(shop.an.pk) == 100  # a repeated event takes nothing more
    assert Event.objects.filter(name="loyalty.points_clawed_back").count() == 1


def test_merge_moves_the_ledger_and_keeps_the_better_tier(shop: Shop) -> None:
    from haumai.customers.services import merge_customers

    deliver(shop.an, total=6_000_000)  # Silver
    deliver(shop.binh, total=1_000_000)
    merge_customers(actor=None, source=shop.an, target=shop.binh)
    assert selectors.balance(shop.binh.pk) == 700 and selectors.balance(shop.an.pk) == 0
    assert Membership.objects.get(customer=shop.binh).tier == "silver"
    assert not Membership.objects.filter(customer=shop.an).exists()


def test_anonymization_clears_reasons_and_keeps_the_ledger(shop: Shop, make_staff: Any) -> None:
    from haumai.loyalty import privacy
    from haumai.privacy.registry import Person

    ledger.adjust_points(
        customer=shop.an, points=50, reason="Khách Nguyễn Văn An gọi phàn nàn", actor=make_staff("manager")
    )
    person = Person(customer=shop.an)
    exported = privacy.export(person).tables["loyalty.pointsentry"]
    assert exported[0]["reason"].startswith("Khách")
    privacy.anonymize(person, None)
    entry = PointsEntry.objects.get()
    assert entry.points == 50 and "Nguyễn" not in entry.reason
