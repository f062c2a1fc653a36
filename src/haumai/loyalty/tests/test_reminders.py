"""Before points expire and before a tier goes down, the member is told once, by a built-in journey."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.events.models import Event
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import Journey
from haumai.loyalty.models import Membership, PointsEntry
from haumai.loyalty.services import ledger
from haumai.loyalty.tests.conftest import TODAY, Shop, deliver, dispatch
from haumai.messaging.models import Delivery

pytestmark = pytest.mark.django_db


def run(name: str) -> int:
    source = next(s for s in scheduler.registered() if s.name == name)
    return scheduler.run_source(source, batch_size=100)


def only(*keys: str) -> None:
    Journey.objects.exclude(key__in=keys).update(is_active=False)
    forget_journeys()


def send_journeys(capture: Any) -> None:
    """Dispatch the events (journey enrollment) and advance the runs, with on-commit callbacks run."""
    with capture(execute=True):
        dispatch()
        run("journeys.runs")


def test_points_expiring_are_announced_once_n_days_before_with_what_is_left(
    shop: Shop, django_capture_on_commit_callbacks: Any
) -> None:
    only("loyalty-points-expiring")
    deliver(shop.an, total=1_000_000)  # 100 points, expire TODAY + 365 days
    ledger.spend_points(customer=shop.an, points=30, actor=None, idempotency_key="k1", order_reference="POS-1")
    with clock.frozen(TODAY + dt.timedelta(days=334)):  # 31 days before: not yet
        assert run("loyalty.expiry_reminders") == 0
    with clock.frozen(TODAY + dt.timedelta(days=336)):
        assert run("loyalty.expiry_reminders") == 1
        assert run("loyalty.expiry_reminders") == 0
        event = Event.objects.get(name="loyalty.points_expiring")
        assert event.customer_id == shop.an.pk
        assert event.payload["points"] == 70 and event.payload["expires_on"] == "10/06/2027"
        send_journeys(django_capture_on_commit_callbacks)
    message = Delivery.objects.get(template_key="loyalty.points_expiring")
    assert message.customer_id == shop.an.pk
    assert "70" in message.body_text and "10/06/2027" in message.body_text
    assert "/portal/rewards/" in message.body_text
    assert PointsEntry.objects.get(kind="earn").expiry_reminded


def test_used_up_lots_are_not_announced(shop: Shop) -> None:
    deliver(shop.an, total=500_000)
    ledger.spend_points(customer=shop.an, points=50, actor=None, idempotency_key="k2", order_reference="POS-2")
    with clock.frozen(TODAY + dt.timedelta(days=340)):
        assert run("loyalty.expiry_reminders") == 0  # a used-up lot left the due sets when it was spent
    assert not Event.objects.filter(name="loyalty.points_expiring").exists()


def test_a_member_whose_spend_will_not_hold_the_tier_is_told_before_the_review_then_downgraded(
    shop: Shop, django_capture_on_commit_callbacks: Any
) -> None:
    only("loyalty-tier-downgrade-notice", "loyalty-tier-upgraded")
    deliver(shop.an, total=6_000_000)  # Silver at once
    send_journeys(django_capture_on_commit_callbacks)
    upgraded = Delivery.objects.get(template_key="loyalty.tier_upgraded")
    assert "Bạc" in upgraded.body_text or "Silver" in upgraded.body_text
    deliver(shop.binh, total=6_000_000)
    review = TODAY + dt.timedelta(days=400)
    Membership.objects.update(review_at=review)  # reviewed once already; the next review is in 400 days
    with clock.frozen(TODAY + dt.timedelta(days=380)):  # binh buys again: his spend holds at the review
        deliver(shop.binh, total=5_000_000)
    with clock.frozen(review - dt.timedelta(days=31)):
        assert run("loyalty.downgrade_notices") == 0
    with clock.frozen(review - dt.timedelta(days=29)):
        assert run("loyalty.downgrade_notices") == 2
        assert run("loyalty.downgrade_notices") == 0
        notice = Event.objects.get(name="loyalty.tier_downgrade_notice")
        assert notice.customer_id == shop.an.pk
        assert (notice.payload["tier"], notice.payload["to"], notice.payload["spend_needed"]) == (
            "silver", "member", 5_000_000,
        )  # fmt: skip
        send_journeys(django_capture_on_commit_callbacks)
    message = Delivery.objects.get(template_key="loyalty.tier_downgrade_notice")
    assert "5.000.000" in message.body_text and "/portal/rewards/" in message.body_text
    with clock.frozen(review + dt.timedelta(hours=1)):
        run("loyalty.tier_reviews")
    assert Membership.objects.get(customer=shop.an).tier == "member"
    assert Membership.objects.get(customer=shop.binh).tier == "silver"
    downgraded = Event.objects.get(name="loyalty.tier_downgraded")
    assert downgraded.payload["tier_vi"] == "Thành viên" and downgraded.payload["from_en"] == "Silver"
    with clock.frozen(review + dt.timedelta(days=340)):  # the next review is noticed again, once
        assert run("loyalty.downgrade_notices") == 1  # binh: his spend of 380 days ago is out by then
    assert Event.objects.filter(name="loyalty.tier_downgrade_notice").count() == 2
