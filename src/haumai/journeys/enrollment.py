"""Putting customers into journeys: from domain events (subscriber) and from daily date rules (bulk)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import time
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, JSONField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.journeys import conf, sending
from haumai.journeys.conditions import OrderFacts, entry_problem
from haumai.journeys.models import (
    Journey,
    JourneyRun,
    Outcome,
    Purpose,
    Reason,
    RunStatus,
    StepRun,
    TriggerKind,
)
from haumai.journeys.rules import add_months, quiet_until, restriction_purpose
from haumai.privacy import restrictions
from haumai.sales.models import OrderLine, OrderStatus

LABEL_KEYS = ("code", "return_code", "shipment_code", "refund_code", "order_code", "ticket_code", "repair_code")


JOURNEY_CACHE_SECONDS = 5.0
_cache: dict[str, Any] = {"at": -1e9, "journeys": []}


def event_journeys() -> list[Journey]:
    """Active journeys with an event trigger or an exit event, cached a few seconds per process.

    Every dispatched event asks; a bulk import dispatches thousands, so one query per event would
    add a round trip to each. An edit takes effect at once in the process that saved it, within
    seconds in the others.
    """
    if time.monotonic() - _cache["at"] > JOURNEY_CACHE_SECONDS:
        _cache["journeys"] = list(
            Journey.objects.filter(is_active=True).filter(Q(trigger_kind=TriggerKind.EVENT) | ~Q(exit_event=""))
        )
        _cache["at"] = time.monotonic()
    return list(_cache["journeys"])


def forget_journeys() -> None:
    """Drop the cached journey list (after an edit)."""
    _cache["at"] = -1e9


def on_event(event: Event) -> None:
    """Subscriber for every event: enter matching event journeys, end runs whose exit event happened."""
    if event.customer_id is None:
        return
    journeys = event_journeys()
    for journey in journeys:
        if journey.exit_event and fnmatch.fnmatchcase(event.name, journey.exit_event):
            exit_runs(journey=journey, event=event)
    for journey in journeys:
        if journey.trigger_kind == TriggerKind.EVENT and fnmatch.fnmatchcase(event.name, journey.trigger_event):
            enter_from_event(journey=journey, event=event)


def _label(event: Event) -> str:
    payload = event.payload or {}
    for key in LABEL_KEYS:
        if isinstance(payload.get(key), str) and payload[key]:
            return str(payload[key])[:80]
    return f"{event.subject_type}:{event.subject_id}"[:80]


def enter_from_event(*, journey: Journey, event: Event) -> JourneyRun | None:
    """Start a run for the event's customer and subject (once, unless the journey allows re-entry)."""
    assert event.customer_id is not None
    customer = Customer.objects.get(pk=event.customer_id)
    entry_key = str(event.pk) if journey.allow_reentry else ""
    identity = {
        "journey": journey,
        "customer": customer,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "entry_key": entry_key,
    }
    if JourneyRun.objects.filter(**identity).exists():
        return None
    now = clock.now()
    order = OrderFacts.for_subject(event.subject_type, event.subject_id)
    problem = entry_problem(
        journey=journey, customer=customer, order=order, reachable=lambda: sending.reachable_channels(customer)
    )
    reason = Reason.CONDITION_FALSE
    if restriction_purpose(journey.purpose) in restrictions.purposes_in_force([customer.pk]).get(customer.pk, ()):
        problem, reason = _("The customer restricted this processing"), Reason.RESTRICTED
    try:
        with transaction.atomic():
            run = JourneyRun.objects.create(
                **identity,
                subject_label=_label(event),
                event_id=event.pk,
                status=RunStatus.NOT_ENTERED if problem else RunStatus.ACTIVE,
                due_at=None if problem else now,
                started_at=now,
                finished_at=now if problem else None,
            )
    except IntegrityError:
        return None  # entered concurrently
    if problem:
        StepRun.objects.create(
            run=run,
            customer_id=customer.pk,
            position=0,
            kind="",
            outcome=Outcome.SKIPPED,
            reason=reason,
            message=problem[:300],
            created_at=now,
        )
    return run


def exit_runs(*, journey: Journey, event: Event) -> int:
    """End the customer's active runs of a journey (same subject when the run has one) on its exit event."""
    assert event.customer_id is not None
    runs = list(
        JourneyRun.objects.select_for_update().filter(
            journey=journey, customer_id=event.customer_id, status=RunStatus.ACTIVE
        )
    )
    now = clock.now()
    ended = [r for r in runs if not r.subject_label or not event.subject_id or _same_subject(r, event)]
    for run in ended:
        run.status, run.due_at, run.finished_at = RunStatus.EXITED, None, now
    JourneyRun.objects.bulk_update(ended, ["status", "due_at", "finished_at"])
    StepRun.objects.bulk_create(
        [
            StepRun(
                run=run,
                customer_id=run.customer_id,
                position=run.position,
                kind="",
                outcome=Outcome.EXITED,
                reason=Reason.EXIT_EVENT,
                message=(_("Exit event %(event)s") % {"event": event.name})[:300],
                created_at=now,
            )
            for run in ended
        ]
    )
    return len(ended)


def _same_subject(run: JourneyRun, event: Event) -> bool:
    if run.subject_type == event.subject_type and run.subject_id == event.subject_id:
        return True
    return _label(event) == run.subject_label or run.subject_label in (event.payload or {}).values()


# ---- date rules -------------------------------------------------------------------------------


def next_enrollment(after: dt.datetime) -> dt.datetime:
    """The next local enrollment hour strictly after `after` (UTC)."""
    local = after.astimezone(clock.LOCAL_TZ)
    candidate = local.replace(hour=conf.enrollment_hour(), minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


def enroll_due_journeys(journeys: Sequence[Journey]) -> None:
    """Scheduler handler for date-rule journeys: enroll today's customers, schedule tomorrow."""
    today = clock.today()
    for journey in journeys:
        enroll_for_day(journey=journey, day=today)
        journey.next_enrollment_at = next_enrollment(clock.now())
    Journey.objects.bulk_update(list(journeys), ["next_enrollment_at"])


def enroll_for_day(*, journey: Journey, day: dt.date) -> int:
    """Enroll in bulk everyone a date rule selects on `day` (INSERT ... SELECT, duplicates ignored)."""
    if journey.trigger_kind == TriggerKind.BIRTHDAY:
        return _insert_runs(journey, _birthday_rows(journey, day))
    total = 0
    for queryset in _order_line_rows(journey, day):
        total += _insert_runs(journey, queryset)
    return total


def _birthday_rows(journey: Journey, day: dt.date) -> QuerySet[Any]:
    birthdays = Q(birth_date__month=day.month, birth_date__day=day.day)
    if (day.month, day.day) == (2, 28) and not _is_leap(day.year):
        birthdays |= Q(birth_date__month=2, birth_date__day=29)
    customers = Customer.objects.filter(birthdays)
    if journey.condition_language:
        customers = customers.filter(preferred_language=journey.condition_language)
    return customers.annotate(
        r_customer=F("pk"),
        r_subject_type=Value("customers.customer"),
        r_subject_id=Cast("pk", output_field=JourneyRun._meta.get_field("subject_id")),
        r_label=F("code"),
        r_entry=Value(str(day.year)),
    )


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _local_day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=clock.LOCAL_TZ)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def _order_line_rows(journey: Journey, day: dt.date) -> list[QuerySet[Any]]:
    lines = OrderLine.objects.filter(order__status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETED])
    if journey.condition_min_order_total is not None:
        lines = lines.filter(order__total__gte=journey.condition_min_order_total)
    if journey.condition_sales_channel:
        lines = lines.filter(order__channel__code=journey.condition_sales_channel)
    if journey.condition_language:
        lines = lines.filter(order__customer__preferred_language=journey.condition_language)
    category = journey.trigger_category or journey.condition_category
    if category:
        lines = lines.filter(Q(product__category__code=category) | Q(product__category__parent__code=category))
    querysets = []
    if journey.trigger_kind == TriggerKind.WARRANTY_EXPIRY:
        target = day + dt.timedelta(days=journey.trigger_days)
        months_values = (
            lines.filter(product__warranty_months__gt=0).values_list("product__warranty_months", flat=True).distinct()
        )
        for months in sorted(set(months_values)):
            start, end = _local_day_range(add_months(target, -months))
            by_start = Q(
                product__warranty_start="delivery", order__delivered_at__gte=start, order__delivered_at__lt=end
            )
            by_start |= ~Q(product__warranty_start="delivery") & Q(
                order__placed_at__gte=start, order__placed_at__lt=end
            )
            rows = lines.filter(by_start, product__warranty_months=months)
            querysets.append(_line_annotations(rows, ""))
    elif journey.trigger_kind == TriggerKind.MAINTENANCE_DUE and journey.trigger_days:
        for interval in range(1, 11):  # the first ten maintenance intervals after purchase
            start, end = _local_day_range(day - dt.timedelta(days=journey.trigger_days * interval))
            rows = lines.filter(order__placed_at__gte=start, order__placed_at__lt=end)
            querysets.append(_line_annotations(rows, str(interval)))
    return querysets


def _line_annotations(lines: QuerySet[Any], entry_key: str) -> QuerySet[Any]:
    return lines.annotate(
        r_customer=F("order__customer_id"),
        r_subject_type=Value("sales.orderline"),
        r_subject_id=Cast("pk", output_field=JourneyRun._meta.get_field("subject_id")),
        r_label=Concat(F("order__code"), Value(" "), F("product__sku")),
        r_entry=Value(entry_key),
    )


def _insert_runs(journey: Journey, rows: QuerySet[Any]) -> int:
    """INSERT INTO journeyrun SELECT ... ON CONFLICT DO NOTHING: one statement however many customers."""
    now = clock.now()
    due = now
    if not (journey.purpose == Purpose.SERVICE and journey.allow_quiet_hours):
        # Enrolled at night: start at the end of quiet hours instead of deferring every run one by one.
        due = quiet_until(now, conf.quiet_hours()) or now
    # Customers who restricted this processing are not enrolled (privacy.restrictions).
    rows = rows.exclude(r_customer__in=restrictions.restricted_customers(restriction_purpose(journey.purpose)))
    selected = rows.annotate(
        r_journey=Value(journey.pk),
        r_context=Cast(Value("{}"), output_field=JSONField()),
        r_status=Value(RunStatus.ACTIVE.value),
        r_position=Value(1),
        r_due=Value(due),
        r_started=Value(now),
    ).values_list(
        "r_journey",
        "r_customer",
        "r_subject_type",
        "r_subject_id",
        "r_label",
        "r_entry",
        "r_context",
        "r_status",
        "r_position",
        "r_due",
        "r_started",
    )
    select_sql, params = selected.query.sql_with_params()
    table = connection.ops.quote_name(JourneyRun._meta.db_table)
    columns = (
        "journey_id, customer_id, subject_type, subject_id, subject_label, entry_key, context, status, "
        "position, due_at, started_at"
    )
    sql = f"INSERT INTO {table} ({columns}) {select_sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
