"""Saved segments as journey entry: a refresh records segment.entered.<key> for newcomers, and a journey starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.events.models import Event
from haumai.journeys.labels import trigger_event_choices, trigger_event_label
from haumai.journeys.models import JourneyRun
from haumai.journeys.services import JourneyInput, StepInput, save_journey
from haumai.journeys.tests.conftest import capture, only, tick  # noqa: F401 (fixture)
from haumai.sales.models import Order
from haumai.segments import services
from haumai.segments.models import SegmentMember
from haumai.segments.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_customers_entering_on_a_refresh_start_the_journey(
    world: Any, make_staff: Any, capture: Any  # noqa: F811 (the journeys fixture)
) -> None:
    product = world.product("P", 1_000_000)
    regular, newcomer, leaver = world.customer("Quen"), world.customer("Mới"), world.customer("Rời")
    for customer in (regular, regular, leaver, leaver, newcomer):
        world.order(customer, product, days_ago=5)
    segment = services.save_segment(actor=make_staff("manager"), data=services.SegmentInput(
        name="Khách quen", rules={"min_orders": 2, "bought_within_days": 30}))  # fmt: skip
    event_name = f"segment.entered.{segment.key}"
    assert segment.size == 2 and not Event.objects.filter(name=event_name).exists()  # first time: nobody announced
    only("vip-welcome")
    steps = [StepInput(kind="task", task_title="Gọi cảm ơn khách quen")]
    save_journey(actor=None, data=JourneyInput(key="vip-welcome", name="Chào khách quen", trigger_event=event_name,
                                               steps=steps))  # fmt: skip
    assert (event_name, "A customer enters segment Khách quen") in trigger_event_choices()
    assert trigger_event_label(event_name) == f"A customer enters segment {segment.key}"
    world.order(newcomer, product, days_ago=1)
    Order.objects.filter(customer=leaver).update(placed_at=NOW - dt.timedelta(days=400))  # no longer recent
    assert services.refresh_segment(segment=segment) == 2
    members = set(SegmentMember.objects.filter(segment=segment).values_list("customer__full_name", flat=True))
    assert members == {"Quen", "Mới"}
    assert list(Event.objects.filter(name=event_name).values_list("customer__full_name", flat=True)) == ["Mới"]
    tick(capture)
    assert list(JourneyRun.objects.values_list("customer__full_name", flat=True)) == ["Mới"]
    assert services.refresh_segment(segment=segment) == 2  # nothing changed: nothing announced again
    assert Event.objects.filter(name=event_name).count() == 1
