"""The daily rollup table, maintained by the worker: dashboards read these rows, never raw history.

`refresh_day(day)` recomputes every metric of one local day from the owning apps' selectors (surveys,
returns) and upserts the rows; it is idempotent. The scheduler source `analytics.rollups` refreshes today
and yesterday every REFRESH_MINUTES (yesterday late events settle), and on its first run backfills
BACKFILL_DAYS of history. Each app's metrics come from a `MetricSource` (see `register_source`): surveys,
returns, support (FRT, next response, resolution, FCR, reopens, SLA clocks, backlog: `haumai.support.metrics`),
repairs and warranty (their selectors' `daily_facts`), carriers (`haumai.shipping.metrics`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from haumai.analytics.days import bounds, each_day, local_day
from haumai.analytics.models import DailyMetric, RollupSchedule
from haumai.core import clock

REFRESH_MINUTES = 15
BACKFILL_DAYS = 400
SCHEDULE_KEY = "daily"
Facts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class MetricSource:
    """Computes some metrics of one period [start, end): {metric: {"n": .., "hits": .., "misses": .., "total": ..}}."""

    key: str
    metrics: tuple[str, ...]
    compute: Callable[[dt.datetime, dt.datetime], Facts]


_sources: dict[str, MetricSource] = {}


def register_source(source: MetricSource) -> None:
    """Add (or replace) a metric source; its metrics become rollup rows."""
    _sources[source.key] = source


def _survey_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.surveys import selectors

    facts = selectors.daily_score_facts(start, end)
    return {kind: facts.get(kind, {"n": 0}) for kind in ("csat", "nps", "ces")}


def _return_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.returns import selectors

    return selectors.daily_facts(start, end)


def _support_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.support import metrics

    return metrics.daily_facts(start, end)


def _repair_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.repairs import selectors

    return selectors.daily_facts(start, end)


def _warranty_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.warranty import selectors

    return selectors.daily_facts(start, end)


def _shipping_facts(start: dt.datetime, end: dt.datetime) -> Facts:
    from haumai.shipping import metrics

    return metrics.daily_facts(start, end)


SUPPORT_METRICS = ("frt", "frt_business", "next_response", "resolution", "fcr", "reopened", "sla", "backlog")
register_source(MetricSource("surveys", ("csat", "nps", "ces"), _survey_facts))
register_source(MetricSource("returns", ("units_sold", "units_returned", "refund_cycle", "tied_up"), _return_facts))
register_source(MetricSource("support", SUPPORT_METRICS, _support_facts))
register_source(MetricSource("repairs", ("repair_ready", "repair_intake"), _repair_facts))
register_source(MetricSource("warranty", ("claims", "under_warranty"), _warranty_facts))
register_source(MetricSource("shipping", ("pickup", "delivery", "lost", "delayed", "shipments"), _shipping_facts))


def _earliest_day() -> dt.date | None:
    from haumai.repairs import selectors as repair_selectors
    from haumai.returns import selectors as returns_selectors
    from haumai.support import metrics as support_metrics
    from haumai.surveys import selectors as survey_selectors

    moments = [
        returns_selectors.earliest_sale(), survey_selectors.earliest_response(), support_metrics.earliest_ticket(),
        repair_selectors.earliest_repair(),
    ]
    known = [local_day(m) for m in moments if m is not None]
    return min(known) if known else None


def refresh_day(day: dt.date, sources: tuple[str, ...] = ()) -> int:
    """Recompute and store every metric of one local day (or only those of the named sources); returns the
    number of rows written."""
    start, end = bounds(day)
    now = clock.now()
    rows = []
    for source in _sources.values():
        if sources and source.key not in sources:
            continue
        facts = source.compute(start, end)
        for metric in source.metrics:
            values = facts.get(metric, {})
            rows.append(
                DailyMetric(
                    day=day,
                    metric=metric,
                    n=int(values.get("n", 0)),
                    hits=int(values.get("hits", 0)),
                    misses=int(values.get("misses", 0)),
                    total=int(values.get("total", 0)),
                    refreshed_at=now,
                )
            )
    with transaction.atomic():
        DailyMetric.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["metric", "day"],
            update_fields=["n", "hits", "misses", "total", "refreshed_at"],
        )
    return len(rows)


def refresh_days(first: dt.date, last: dt.date, sources: tuple[str, ...] = ()) -> int:
    """Refresh every day in [first, last] (every source, or only the named ones)."""
    return sum(refresh_day(day, sources) for day in each_day(first, last))


def ensure_schedule() -> None:
    """Create the schedule row (due now) if it is missing."""
    RollupSchedule.objects.get_or_create(key=SCHEDULE_KEY, defaults={"due_at": clock.now()})


def pending() -> Any:
    """Scheduler source: the schedule row when due."""
    return RollupSchedule.objects.filter(key=SCHEDULE_KEY, due_at__isnull=False)  # one key: not the weekly e-mail


def handle_due(rows: Sequence[RollupSchedule]) -> None:
    """Refresh yesterday and today (backfill on the first run), then schedule the next refresh."""
    now = clock.now()
    today = local_day(now)
    first = today - dt.timedelta(days=1)
    if not DailyMetric.objects.exists():
        first = max(today - dt.timedelta(days=BACKFILL_DAYS), _earliest_day() or today)
    refresh_days(first, today)
    for row in rows:
        row.last_run_at = now
        row.due_at = now + dt.timedelta(minutes=REFRESH_MINUTES)
        row.save(update_fields=["last_run_at", "due_at"])
