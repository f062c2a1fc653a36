"""Segment writes: save a rule, refresh its members, recompute RFM scores, and the nightly run."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, Forbidden, ValidationFailed
from haumai.core.text import search_key
from haumai.events.services import record_event, record_events
from haumai.privacy import restrictions
from haumai.sales.models import OrderStatus
from haumai.segments import rules as segment_rules
from haumai.segments.models import CustomerRfm, RefreshSchedule, Segment, SegmentMember

SCHEDULE_KEY = "nightly"
ENTERED_PREFIX = "segment.entered."
NIGHTLY_LOCAL_HOUR = 2  # 02:00 Asia/Ho_Chi_Minh, when nobody is working
PERMISSION_CHANGE = "segments.change_segment"
PERMISSION_ADD = "segments.add_segment"


@dataclass(frozen=True)
class SegmentInput:
    """What the rule editor sends."""

    name: str
    description: str = ""
    rules: dict[str, Any] | None = None


def _check(data: SegmentInput, *, segment: Segment | None) -> tuple[dict[str, Any], list[FieldError]]:
    cleaned, errors = segment_rules.clean(data.rules or {})
    name = data.name.strip()
    if not name:
        errors.insert(0, FieldError("name", _("Give the segment a name."), "required"))
    elif len(name) > 120:
        errors.insert(0, FieldError("name", _("At most 120 characters."), "too_long"))
    elif _name_taken(name, segment):
        errors.insert(0, FieldError("name", _("Another segment already has this name."), "duplicate"))
    if len(data.description) > 300:
        errors.append(FieldError("description", _("At most 300 characters."), "too_long"))
    return cleaned, errors


def _name_taken(name: str, segment: Segment | None) -> bool:
    same = Segment.objects.filter(search_key=search_key(name))
    if segment is not None:
        same = same.exclude(pk=segment.pk)
    return same.exists()


def _unique_key(name: str) -> str:
    base = slugify(search_key(name))[:50] or "segment"
    key, n = base, 1
    while Segment.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def save_segment(*, actor: Any, data: SegmentInput, segment: Segment | None = None) -> Segment:
    """Create or change a segment from its rule, then materialize its members (all in one transaction)."""
    if not actor.has_perm(PERMISSION_CHANGE if segment else PERMISSION_ADD):
        raise Forbidden()
    cleaned, errors = _check(data, segment=segment)
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    with transaction.atomic():
        if segment is None:
            segment = Segment(key=_unique_key(data.name), created_by=actor)
            created = True
        else:
            segment = Segment.objects.select_for_update().get(pk=segment.pk)
            created = False
        segment.name = data.name.strip()
        segment.search_key = search_key(segment.name)
        segment.description = data.description.strip()
        segment.rules = cleaned
        segment.save()
        refresh_segment(segment=segment, announce=False)  # a new audience, not customers who changed
        record_event(
            name="segment.created" if created else "segment.changed", subject=segment, actor=actor,
            payload={"key": segment.key, "name": segment.name, "size": segment.size},
        )  # fmt: skip
    return segment


def entered_event(segment_key: str) -> str:
    """The event a customer entering a segment on a refresh records (a journey trigger: `segment.entered.<key>`)."""
    return f"{ENTERED_PREFIX}{segment_key}"


def refresh_segment(*, segment: Segment, now: dt.datetime | None = None, announce: bool = True) -> int:
    """Bring the members up to the rule: insert who matches now and was not in, delete who no longer matches.

    Two set-based statements (INSERT ... SELECT ... RETURNING, DELETE ... NOT IN), so only the difference is
    written. With `announce` (the nightly run, "Refresh now") every customer who came in records
    `segment.entered.<key>`, which journeys can start on; the first computation and a rule change announce
    nobody (that is a new audience, not customers who changed).
    """
    from haumai.customers.models import Customer

    with transaction.atomic():
        # Lock the segment row: two refreshes of one segment never interleave their writes.
        locked = Segment.objects.select_for_update().filter(pk=segment.pk).values_list("refreshed_at", flat=True)
        first_time = locked.first() is None
        sql, params = segment_rules.matching(segment.rules, now=now).values("id").query.sql_with_params()
        table = SegmentMember._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (segment_id, customer_id) SELECT %s, m.id FROM ({sql}) m "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE x.segment_id = %s AND x.customer_id = m.id) "
                "RETURNING customer_id",
                [segment.pk, *params, segment.pk],
            )
            entered = [int(row[0]) for row in cursor.fetchall()]
            cursor.execute(
                f"DELETE FROM {table} WHERE segment_id = %s AND customer_id NOT IN (SELECT m.id FROM ({sql}) m)",  # noqa: S608
                [segment.pk, *params],
            )
        size = SegmentMember.objects.filter(segment=segment).count()
        segment.size = size
        segment.refreshed_at = clock.now()
        Segment.objects.filter(pk=segment.pk).update(size=size, refreshed_at=segment.refreshed_at)
        if announce and not first_time and entered:
            name, payload = entered_event(segment.key), {"key": segment.key, "name": segment.name}
            record_events(
                [{"name": name, "customer": Customer(pk=pk), "subject": segment, "payload": payload} for pk in entered]
            )
    return size


RFM_SQL = """
INSERT INTO {rfm} (customer_id, last_order_at, orders, spend, recency_score, frequency_score, monetary_score,
                   computed_at)
SELECT customer_id, last_order_at, orders, spend,
       {r}, {f}, {m}, %s
FROM (
  SELECT customer_id, last_order_at, orders, spend,
         PERCENT_RANK() OVER (ORDER BY last_order_at) AS r_rank,
         PERCENT_RANK() OVER (ORDER BY orders) AS f_rank,
         PERCENT_RANK() OVER (ORDER BY spend) AS m_rank
  FROM (
    SELECT o.customer_id AS customer_id, MAX(o.placed_at) AS last_order_at, COUNT(*) AS orders,
           SUM(o.total) AS spend
    FROM {orders} o JOIN {customers} c ON c.id = o.customer_id
    WHERE o.status <> %s AND c.merged_into_id IS NULL AND c.id NOT IN ({restricted})
    GROUP BY o.customer_id
  ) totals
) ranked
"""


def _quintile(column: str) -> str:
    """1-5 from a percent rank; ties share a score (a CASE, so it reads the same on PostgreSQL and SQLite)."""
    return (
        f"CASE WHEN {column} < 0.2 THEN 1 WHEN {column} < 0.4 THEN 2 WHEN {column} < 0.6 THEN 3 "
        f"WHEN {column} < 0.8 THEN 4 ELSE 5 END"
    )


def compute_rfm() -> int:
    """Recompute every buying customer's RFM scores with one set-based statement; return how many."""
    from haumai.customers.models import Customer
    from haumai.sales.models import Order

    # Customers who restricted profiling get no scores (privacy.restrictions).
    restricted, restricted_params = restrictions.restricted_customers("profiling").query.sql_with_params()
    sql = RFM_SQL.format(
        rfm=CustomerRfm._meta.db_table, orders=Order._meta.db_table, customers=Customer._meta.db_table,
        r=_quintile("r_rank"), f=_quintile("f_rank"), m=_quintile("m_rank"), restricted=restricted,
    )  # fmt: skip
    params = [connection.ops.adapt_datetimefield_value(clock.now()), OrderStatus.CANCELLED, *restricted_params]
    with transaction.atomic():
        CustomerRfm.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = cursor.rowcount
    return max(count, 0)


def refresh_all() -> dict[str, Any]:
    """RFM first (rules may use it), then every segment; the seconds each part took."""
    started = time.perf_counter()
    scored = compute_rfm()
    rfm_seconds = time.perf_counter() - started
    sizes = {segment.key: refresh_segment(segment=segment) for segment in Segment.objects.order_by("pk")}
    return {
        "customers_scored": scored, "rfm_seconds": rfm_seconds, "segments": sizes,
        "seconds": time.perf_counter() - started,
    }  # fmt: skip


def next_run(after: dt.datetime) -> dt.datetime:
    """The next 02:00 in Vietnam after a moment."""
    local = after.astimezone(clock.LOCAL_TZ)
    candidate = local.replace(hour=NIGHTLY_LOCAL_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


def ensure_schedule() -> None:
    """Create the nightly schedule row (first run now) if it is missing."""
    RefreshSchedule.objects.get_or_create(key=SCHEDULE_KEY, defaults={"due_at": clock.now()})


def pending_refresh() -> Any:
    """Scheduler source: the schedule row when due."""
    return RefreshSchedule.objects.filter(key=SCHEDULE_KEY, due_at__isnull=False)


def handle_due(rows: Sequence[RefreshSchedule]) -> None:
    """The nightly run: RFM, every segment, then the next 02:00."""
    result = refresh_all()
    now = clock.now()
    for row in rows:
        row.last_run_at = now
        row.last_seconds = result["seconds"]
        row.due_at = next_run(now)
        row.save(update_fields=["last_run_at", "last_seconds", "due_at"])
