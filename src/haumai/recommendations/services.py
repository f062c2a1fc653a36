"""Recommendation writes: retrain the association table (full, set-based) and the worker's schedule."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.recommendations import training
from haumai.recommendations.models import Association, PopularProduct, TrainingSchedule

SCHEDULE_KEY = "nightly"
NIGHTLY_LOCAL_HOUR = 3  # after the segments' 02:00 run
POPULAR_DAYS = 90
POPULAR_KEPT = 50


def retrain(*, window_days: int = training.DEFAULT_WINDOW_DAYS, min_pairs: int = training.DEFAULT_MIN_PAIRS) -> int:
    """Learn from every clean purchase so far and replace the stored rules (one transaction); how many."""
    now = clock.now()
    rules = training.learn(until=now, window_days=window_days, min_pairs=min_pairs)
    popular = training.popular_products(until=now, since=now - dt.timedelta(days=POPULAR_DAYS), limit=POPULAR_KEPT)
    with transaction.atomic():
        PopularProduct.objects.all().delete()
        PopularProduct.objects.bulk_create(
            [PopularProduct(product_id=p, share=share, computed_at=now) for p, share in popular]
        )
        Association.objects.all().delete()
        Association.objects.bulk_create(
            [
                Association(kind=r.kind, product_id=r.product_id, other_id=r.other_id, pair_count=r.pair_count,
                            support=r.support, confidence=r.confidence, lift=r.lift, computed_at=now)
                for r in rules
            ],
            batch_size=2_000,
        )
    return len(rules)


def _next_run(after: dt.datetime) -> dt.datetime:
    local = after.astimezone(clock.LOCAL_TZ)
    candidate = local.replace(hour=NIGHTLY_LOCAL_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


def ensure_schedule() -> None:
    """Create the schedule row (first training now) if it is missing."""
    TrainingSchedule.objects.get_or_create(key=SCHEDULE_KEY, defaults={"due_at": clock.now()})


def pending_training() -> Any:
    """Scheduler source: the schedule row when due."""
    return TrainingSchedule.objects.filter(key=SCHEDULE_KEY, due_at__isnull=False)


def handle_due(rows: Sequence[TrainingSchedule]) -> None:
    """Retrain, record how long it took, and schedule the next night."""
    started = time.perf_counter()
    count = retrain()
    seconds = time.perf_counter() - started
    now = clock.now()
    for row in rows:
        row.last_run_at, row.last_seconds, row.last_rules, row.due_at = now, seconds, count, _next_run(now)
        row.save(update_fields=["last_run_at", "last_seconds", "last_rules", "due_at"])
