"""The scheduler tick: claim rows whose `due_at` has passed and hand them to their handler.

Each app registers a `DueSource` (a queryset of pending rows and a handler). The tick claims a
batch of due rows with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers never
act on the same row; SQLite serialises writers, so a plain locked transaction is enough there.
A handler must move each row out of the due set (mark it done or set a later `due_at`) in the same
transaction, which is what makes the tick safe to repeat after a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet

from haumai.core import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueSource:
    """Where to find due rows and what to do with a claimed batch."""

    name: str
    pending: Callable[[], QuerySet[Any]]
    handle: Callable[[Sequence[Any]], None]
    due_field: str = "due_at"


_sources: dict[str, DueSource] = {}


def register(source: DueSource) -> None:
    """Register (or replace) a due-row source by name."""
    _sources[source.name] = source


def registered() -> list[DueSource]:
    """The registered sources, in registration order."""
    return list(_sources.values())


def claim_due(queryset: QuerySet[Model], *, due_field: str = "due_at", limit: int) -> list[Model]:
    """Lock and return up to `limit` rows due now; call inside transaction.atomic()."""
    due = queryset.filter(**{f"{due_field}__lte": clock.now()}).order_by(due_field, "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due[:limit])


def run_source(source: DueSource, *, batch_size: int) -> int:
    """Claim and handle one batch of one source; return how many rows were handled."""
    with transaction.atomic():
        rows = claim_due(source.pending(), due_field=source.due_field, limit=batch_size)
        if rows:
            source.handle(rows)
    return len(rows)


def tick(*, batch_size: int = 500, max_batches: int = 20) -> dict[str, int]:
    """Run every source until it has nothing due (or `max_batches` ran); return counts per source."""
    counts: dict[str, int] = {}
    for source in registered():
        total = 0
        for _ in range(max_batches):
            handled = run_source(source, batch_size=batch_size)
            total += handled
            if handled < batch_size:
                break
        counts[source.name] = total
        if total:
            logger.info("scheduler: %s handled %d due rows", source.name, total)
    return counts
