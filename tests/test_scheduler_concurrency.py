"""Two workers ticking at the same time never claim the same row (PostgreSQL SKIP LOCKED)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from haumai.core import clock, scheduler
from haumai.events.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's; SQLite has one writer")
def test_concurrent_claims_are_disjoint() -> None:
    Event.objects.bulk_create(
        Event(name="load.due", occurred_at=clock.now(), dispatched_at=clock.now(), due_at=clock.now())
        for _ in range(40)
    )
    claimed: list[list[int]] = [[], []]
    both_hold_locks = threading.Barrier(2, timeout=20)

    def claim(slot: int) -> None:
        try:
            with transaction.atomic():
                rows = scheduler.claim_due(Event.objects.filter(name="load.due"), limit=25)
                claimed[slot] = [row.pk for row in rows]
                both_hold_locks.wait()  # keep the locks until the other worker has claimed too
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = set(claimed[0]), set(claimed[1])
    assert not first & second
    assert len(first | second) == 40
