"""Human-readable codes and the scheduler tick (on the real database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.core.codes import next_code, next_codes
from haumai.events import services as event_services
from haumai.events.models import Event

pytestmark = pytest.mark.django_db


def test_codes_are_consecutive_per_prefix_and_year() -> None:
    clock.freeze(dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    assert next_code("ORD") == "ORD-2026-000001"
    assert next_codes("ORD", 3) == ["ORD-2026-000002", "ORD-2026-000003", "ORD-2026-000004"]
    assert next_code("RMA") == "RMA-2026-000001"
    assert next_code("ORD", year=2027) == "ORD-2027-000001"
    assert next_codes("ORD", 0) == []


@pytest.fixture
def seen_events() -> Any:
    """Subscribe a handler for the test and remove it afterwards."""
    seen: list[str] = []

    def handler(event: Event) -> None:
        seen.append(event.name)

    event_services.subscribe("order.*", handler)
    yield seen
    event_services._subscribers.remove(("order.*", handler))


def test_tick_dispatches_due_events_once(seen_events: list[str]) -> None:
    event_services.record_event(name="order.created", payload={"code": "ORD-1"})
    event_services.record_event(name="customer.created")
    counts = scheduler.tick(batch_size=1)
    assert counts["events.dispatch"] == 2
    assert seen_events == ["order.created"]
    assert Event.objects.filter(dispatched_at__isnull=True).count() == 0
    # A second tick finds nothing due: nothing is handled twice.
    assert scheduler.tick()["events.dispatch"] == 0
    assert seen_events == ["order.created"]


def test_rows_due_later_wait_for_the_clock() -> None:
    handled: list[int] = []

    def handle(rows: Sequence[Event]) -> None:
        handled.extend(row.pk for row in rows)
        Event.objects.filter(pk__in=[row.pk for row in rows]).update(due_at=None)

    source = scheduler.DueSource(
        name="test.later",
        pending=lambda: Event.objects.filter(due_at__isnull=False, name="reminder.due"),
        handle=handle,
    )
    scheduler.register(source)
    try:
        clock.freeze(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
        # Marked dispatched so only the test source (not the event dispatcher) sees it.
        event = Event.objects.create(
            name="reminder.due",
            occurred_at=clock.now(),
            dispatched_at=clock.now(),
            due_at=clock.now() + dt.timedelta(days=3),
        )
        assert scheduler.tick()["test.later"] == 0
        clock.advance(dt.timedelta(days=3))
        assert scheduler.tick()["test.later"] == 1
        assert handled == [event.pk]
    finally:
        scheduler._sources.pop("test.later")


def test_a_failing_handler_rolls_back_and_leaves_rows_due() -> None:
    def broken(rows: Sequence[Event]) -> None:
        Event.objects.filter(pk__in=[row.pk for row in rows]).update(due_at=None)
        raise RuntimeError("provider down")

    scheduler.register(
        scheduler.DueSource(
            name="test.broken", pending=lambda: Event.objects.filter(name="x.due", due_at__isnull=False), handle=broken
        )
    )
    try:
        Event.objects.create(name="x.due", occurred_at=clock.now(), dispatched_at=clock.now(), due_at=clock.now())
        with pytest.raises(RuntimeError):
            scheduler.run_source(scheduler._sources["test.broken"], batch_size=10)
        assert Event.objects.filter(name="x.due", due_at__isnull=False).count() == 1
    finally:
        scheduler._sources.pop("test.broken")
