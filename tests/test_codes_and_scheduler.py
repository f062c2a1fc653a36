"""Human-readable codes and the scheduler tick (on the real database)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection, transaction

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database sequences are PostgreSQL's")
def test_a_code_taken_in_an_open_transaction_does_not_block_another_writer() -> None:
    """Issue 17: codes came from a counter row locked until commit, so every create waited for the others.

    (Only the year's first code of a prefix, which creates its sequence, makes others wait for its commit.)
    """
    first = next_code("CUS")
    taken = threading.Event()
    release = threading.Event()
    holder_code: list[str] = []

    def hold_a_code() -> None:
        try:
            with transaction.atomic():
                holder_code.append(next_code("CUS"))
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_a_code)
    holder.start()
    try:
        assert taken.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a row lock would fail here, not wait
            other = next_codes("CUS", 2)
    finally:
        release.set()
        holder.join(30)
    assert holder_code and holder_code[0] not in other
    assert len({first, *holder_code, *other}) == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database sequences are PostgreSQL's")
def test_a_sequence_continues_after_an_existing_counter_row() -> None:
    """A database upgraded from the counter rows keeps counting where they stopped."""
    from haumai.core.models import CodeSequence

    CodeSequence.objects.create(prefix="ZZT", year=2031, last_value=41)
    assert next_codes("ZZT", 2, year=2031) == ["ZZT-2031-000042", "ZZT-2031-000043"]


def test_rejects_a_prefix_that_is_not_a_code() -> None:
    with pytest.raises(ValueError, match="prefix"):
        next_code("ord; drop")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_parallel_first_codes_of_a_new_prefix_are_distinct() -> None:
    """Eight writers race to create the same new sequence: none fails, no number is given twice."""
    count = 8
    start = threading.Barrier(count, timeout=60)
    results: list[Any] = [None] * count

    def take(index: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                results[index] = next_codes("ZZP", 3, year=2032)
        except BaseException as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert all(isinstance(result, list) for result in results), results
    taken = [code for result in results for code in result]
    assert len(set(taken)) == count * 3
