"""Tier benefits applied by other apps: a longer return window, a free return pickup, a priority support SLA."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.loyalty.models import Membership
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.returns.models import ReturnPolicy, ReturnRequest
from haumai.returns.services import creation
from haumai.returns.services.creation import LineInput, PickupInput
from haumai.returns.services.resolution import refund_due
from haumai.support.models import SlaPolicy, Ticket
from haumai.support.services.tickets import open_ticket

pytestmark = pytest.mark.django_db


def make_tier(customer: Any, tier: str) -> None:
    now = clock.now()
    Membership.objects.update_or_create(
        customer=customer, defaults={"tier": tier, "tier_since": now, "review_at": now + dt.timedelta(days=300)}
    )


def ask_return(shop: Shop, order: Any, *, days_after_delivery: int, **overrides: Any) -> ReturnRequest:
    values: dict[str, Any] = {
        "actor": None, "customer": order.customer, "order": order, "lines": [LineInput(sku="FAN")],
        "reason": "changed_mind", "resolution": "store_credit", "logistics": "store_dropoff",
        "today": (order.delivered_at + dt.timedelta(days=days_after_delivery)).astimezone(clock.LOCAL_TZ).date(),
    }  # fmt: skip
    values.update(overrides)
    return creation.create_return(**values)[0]


@pytest.fixture
def policy(shop: Shop) -> ReturnPolicy:
    return ReturnPolicy.objects.create(name="Mặc định", window_days=7)


def test_a_silver_member_gets_seven_more_days_to_return_and_a_member_does_not(shop: Shop, policy: Any) -> None:
    member_order, silver_order = deliver(shop.binh), deliver(shop.an)
    make_tier(shop.an, "silver")
    with pytest.raises(DomainError) as refused:
        ask_return(shop, member_order, days_after_delivery=10)
    assert "7 days has passed" in str(refused.value.errors[0].message)
    assert not ReturnRequest.objects.exists()
    request = ask_return(shop, silver_order, days_after_delivery=10)
    messages = request.lines.get().notes
    assert {"code": "benefit_extension", "params": {"days": 7, "benefit": "loyalty:silver"}} in messages
    from haumai.returns.policy import explain

    assert explain(messages[0]) == "7 more days to return: Silver member"
    assert explain(messages[1]).startswith("Within the 14-day return window")
    with pytest.raises(DomainError):  # the extension has its own end: 7 + 7 days
        ask_return(shop, deliver(shop.an), days_after_delivery=15)


def test_a_gold_member_has_fifteen_more_days_but_a_non_returnable_product_stays_refused(
    shop: Shop, policy: Any
) -> None:
    order = deliver(shop.an)
    make_tier(shop.an, "gold")
    assert ask_return(shop, order, days_after_delivery=22).status in ("requested", "approved")
    policy.is_returnable = False
    policy.save()
    with pytest.raises(DomainError) as refused:
        ask_return(shop, deliver(shop.an), days_after_delivery=1)
    assert "cannot be returned" in str(refused.value.errors[0].message)


PICKUP = PickupInput(street="12 Lê Lợi", province_code="79", ward_code="26734")


def test_the_pickup_fee_is_charged_to_a_member_waived_for_gold_and_never_charged_for_a_defect(
    shop: Shop, policy: Any, settings: Any
) -> None:
    settings.HAUMAI_RETURNS_PICKUP_FEE_VND = "30000"
    pickup: dict[str, Any] = {"logistics": "carrier_pickup", "carrier_code": "ghn", "pickup": PICKUP}
    member = ask_return(shop, deliver(shop.binh), days_after_delivery=2, **pickup)
    assert (member.pickup_fee, member.pickup_fee_waived_by) == (30_000, "")
    assert refund_due(member, received_only=False) == (970_000, 0)
    make_tier(shop.an, "gold")
    gold = ask_return(shop, deliver(shop.an), days_after_delivery=2, **pickup)
    assert (gold.pickup_fee, gold.pickup_fee_waived_by) == (0, "loyalty:gold")
    assert refund_due(gold, received_only=False) == (1_000_000, 0)
    defect = ask_return(shop, deliver(shop.binh), days_after_delivery=2, reason="defective", **pickup)
    assert defect.pickup_fee == 0
    dropoff = ask_return(shop, deliver(shop.binh), days_after_delivery=2)
    assert dropoff.pickup_fee == 0


def test_a_gold_members_ticket_starts_high_and_gets_the_high_priority_sla(shop: Shop, make_staff: Any) -> None:
    SlaPolicy.objects.create(name="Ưu tiên cao", priority="high", first_response_minutes=60,
                             next_response_minutes=120, resolution_minutes=480)  # fmt: skip
    agent = make_staff("agent")
    member_ticket = open_ticket(actor=agent, customer=shop.binh, subject="Hỏi bảo hành")
    make_tier(shop.an, "gold")
    gold_ticket = open_ticket(actor=agent, customer=shop.an, subject="Hỏi bảo hành")
    member_ticket.refresh_from_db()
    gold_ticket.refresh_from_db()
    assert (member_ticket.priority, gold_ticket.priority) == ("normal", "high")
    assert gold_ticket.first_response_due_at is not None and member_ticket.first_response_due_at is not None
    assert gold_ticket.first_response_due_at < member_ticket.first_response_due_at  # 1 h instead of 4 h
    make_tier(shop.an, "silver")
    assert open_ticket(actor=agent, customer=shop.an, subject="Lần nữa").priority == "normal"
    assert Ticket.objects.count() == 3
