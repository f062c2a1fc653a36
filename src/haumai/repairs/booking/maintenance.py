"""Maintenance schedules per unit: derived from the product's (or its category's) maintenance plan when
the unit's warranty starts, reminded by the scheduler tick (`maintenance.due`; the message carries a signed
link to book), and moved forward when a maintenance is recorded as done."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.events.services import record_event
from haumai.repairs.booking.common import refuse, require_perm
from haumai.repairs.models import MaintenancePlan, MaintenanceRecord, MaintenanceSchedule

REMIND_DAYS_BEFORE = 7
REMIND_HOUR = 9  # local time
LINK_SALT = "haumai.repairs.maintenance"
LINK_MAX_AGE = dt.timedelta(days=90)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def remind_moment(due_on: dt.date) -> dt.datetime:
    """When the reminder of a due date goes out: a week before, at 09:00 in Vietnam."""
    day = due_on - dt.timedelta(days=REMIND_DAYS_BEFORE)
    return dt.datetime.combine(day, dt.time(REMIND_HOUR), tzinfo=clock.LOCAL_TZ).astimezone(dt.UTC)


def plans_for(product: Any) -> list[MaintenancePlan]:
    """The active plans of a product: its own, else its category's (or the parent category's)."""
    own = list(MaintenancePlan.objects.filter(product=product, is_active=True))
    if own or product.category_id is None:
        return own
    category = product.category
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return list(MaintenancePlan.objects.filter(category_id__in=ids, is_active=True).filter(~Q(category_id=None)))


def ensure_schedules(*, unit: Any, customer: Any, start: dt.date) -> list[MaintenanceSchedule]:
    """A schedule per plan of the unit's product, first due one interval after `start` (idempotent)."""
    created = []
    with transaction.atomic():
        for plan in plans_for(unit.product):
            due_on = add_months(start, plan.interval_months)
            schedule, made = MaintenanceSchedule.objects.get_or_create(
                unit=unit, plan=plan,
                defaults={"customer": customer, "next_due_on": due_on, "due_at": remind_moment(due_on)},
            )  # fmt: skip
            if made:
                created.append(schedule)
                record_event(
                    name="maintenance.scheduled", customer=customer, subject=schedule, actor_label="system",
                    payload={"plan": plan.name, "serial": unit.serial, "product": unit.product.name,
                             "due_on": due_on.isoformat()},
                )  # fmt: skip
    return created


def on_warranty_started(event: Any) -> None:
    """A warranty started (delivery, activation, import): the unit's maintenance schedules begin."""
    if event.subject_type != "warranty.warranty":
        return
    from haumai.warranty.models import Warranty  # read only

    warranty = (
        Warranty.objects.select_related("unit__product__category", "customer").filter(pk=event.subject_id).first()
    )
    if warranty is None or warranty.starts_on is None:
        return
    ensure_schedules(unit=warranty.unit, customer=warranty.customer, start=warranty.starts_on)


def subscribe_handlers() -> None:
    """Start schedules when warranties start."""
    from haumai.events.services import subscribe

    for name in ("warranty.started", "warranty.activated", "warranty.imported"):
        subscribe(name, on_warranty_started)


def booking_token(schedule: MaintenanceSchedule) -> str:
    """A signed token that lets the customer book this maintenance without signing in."""
    return schedule_token(schedule.pk, schedule.customer_id)


def schedule_token(schedule_id: int, customer_id: int) -> str:
    """The booking token of a schedule by ids (what the send-time link builder has from the event)."""
    return signing.dumps({"s": schedule_id, "c": customer_id}, salt=LINK_SALT, compress=True)


def schedule_from_token(token: str) -> MaintenanceSchedule | None:
    """The schedule of a valid, unexpired booking token, else None."""
    try:
        data = signing.loads(token[:400], salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    schedule_id, customer_id = (data.get("s"), data.get("c")) if isinstance(data, dict) else (None, None)
    if not isinstance(schedule_id, int) or not isinstance(customer_id, int):
        return None
    return (
        MaintenanceSchedule.objects.select_related("plan", "unit__product", "customer")
        .filter(pk=schedule_id, customer_id=customer_id, is_active=True)
        .first()
    )


def emit_due(rows: Sequence[MaintenanceSchedule]) -> None:
    """Scheduler handler: emit `maintenance.due` (journeys send it on every channel) and stop the timer.
    The payload names the schedule; the signed booking link is built only in the message (`links.booking`)."""
    ids = [row.pk for row in rows]
    for schedule in MaintenanceSchedule.objects.filter(pk__in=ids).select_related("plan", "unit__product", "customer"):
        if schedule.reminded_for == schedule.next_due_on:
            continue
        record_event(
            name="maintenance.due", customer=schedule.customer, subject=schedule.unit, actor_label="system",
            payload={
                "plan": schedule.plan.name, "serial": schedule.unit.serial, "product": schedule.unit.product.name,
                "due_on": schedule.next_due_on.isoformat(), "onsite": schedule.plan.onsite,
                "schedule": schedule.pk,
            },
        )  # fmt: skip
        MaintenanceSchedule.objects.filter(pk=schedule.pk).update(reminded_for=schedule.next_due_on)
    MaintenanceSchedule.objects.filter(pk__in=ids).update(due_at=None)


def record_done(
    *, actor: Any, schedule: MaintenanceSchedule, done_at: dt.datetime | None = None, note: str = "", visit: Any = None
) -> MaintenanceRecord:
    """Record a maintenance as done: the next one is due one interval after it."""
    require_perm(actor, "repairs.record_maintenance")
    moment = done_at or clock.now()
    if moment > clock.now() + dt.timedelta(minutes=5):
        raise refuse("done_at", _("A maintenance cannot be recorded in the future"), "future")
    with transaction.atomic():
        rows = MaintenanceSchedule.objects.select_for_update(of=("self",)).select_related("plan", "unit__product")
        locked = rows.get(pk=schedule.pk)
        if not locked.is_active:
            raise refuse("schedule", _("This maintenance schedule is stopped"), "inactive")
        record = MaintenanceRecord.objects.create(
            schedule=locked, done_at=moment, note=note.strip()[:500], visit=visit,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        # Read the interval after the lock, in its own statement: a plan edited meanwhile (update_plan holds
        # the plan, then the schedules) is seen as committed, not as the joined row of the locking read.
        interval = MaintenancePlan.objects.values_list("interval_months", flat=True).get(pk=locked.plan_id)
        next_due = add_months(moment.astimezone(clock.LOCAL_TZ).date(), interval)
        locked.last_done_at = moment
        locked.next_due_on = next_due
        locked.due_at = remind_moment(next_due)
        locked.save(update_fields=["last_done_at", "next_due_on", "due_at"])
        record_event(
            name="maintenance.done", customer=locked.customer, subject=locked, actor=actor,
            payload={"plan": locked.plan.name, "serial": locked.unit.serial, "product": locked.unit.product.name,
                     "next_due_on": next_due.isoformat()},
        )  # fmt: skip
    return record


def _clean_plan(name: Any, interval_months: Any) -> tuple[str, int]:
    name = str(name or "").strip()
    if not name:
        raise refuse("name", _("Give the maintenance a name"), "required")
    if len(name) > 160:
        raise refuse("name", _("At most 160 characters"), "too_long")
    try:
        months = int(str(interval_months).strip())
    except ValueError:
        months = 0
    if not 1 <= months <= 120:
        raise refuse("interval_months", _("Every 1 to 120 months"), "out_of_range")
    return name, months


def _moved_due(schedule: MaintenanceSchedule, old_months: int, new_months: int, earliest: dt.date) -> dt.date:
    """A schedule's next due date under a new interval: one new interval after the last maintenance (or,
    never done, after the day the schedule counted from), never earlier than `earliest`."""
    if schedule.last_done_at is not None:
        base = schedule.last_done_at.astimezone(clock.LOCAL_TZ).date()
    else:
        base = add_months(schedule.next_due_on, -old_months)
    return max(add_months(base, new_months), earliest)


def update_plan(*, actor: Any, plan: MaintenancePlan, name: Any, interval_months: Any, onsite: bool) -> MaintenancePlan:
    """Edit a plan's name, interval and place (its product or category stays: stop it and add another).
    A new interval moves the next due date of the plan's active schedules whose reminder has not gone out:
    one new interval after the last maintenance (or the start), at the earliest a week from today so the
    reminder still comes first; a date the customer was already reminded of stays."""
    require_perm(actor, "repairs.change_maintenanceplan")
    name, months = _clean_plan(name, interval_months)
    with transaction.atomic():
        locked = MaintenancePlan.objects.select_for_update().get(pk=plan.pk)
        old = locked.interval_months
        changed = {"name": name, "interval_months": months, "onsite": bool(onsite)}
        if all(getattr(locked, field) == value for field, value in changed.items()):
            return locked
        for field, value in changed.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changed))
        moved = 0
        if months != old:
            earliest = clock.today() + dt.timedelta(days=REMIND_DAYS_BEFORE)
            rows = MaintenanceSchedule.objects.select_for_update().filter(plan=locked, is_active=True)
            batch: list[MaintenanceSchedule] = []
            for schedule in rows.order_by("pk").iterator(chunk_size=1000):
                if schedule.reminded_for == schedule.next_due_on:
                    continue  # the customer was told this date: keep it
                due = _moved_due(schedule, old, months, earliest)
                if due != schedule.next_due_on:
                    schedule.next_due_on, schedule.due_at = due, remind_moment(due)
                    batch.append(schedule)
                if len(batch) >= 1000:
                    moved += MaintenanceSchedule.objects.bulk_update(batch, ["next_due_on", "due_at"])
                    batch = []
            moved += MaintenanceSchedule.objects.bulk_update(batch, ["next_due_on", "due_at"]) if batch else 0
        record_event(
            name="maintenance_plan.updated", subject=locked, actor=actor,
            payload={"name": locked.name, "interval_months": months, "previous_interval_months": old,
                     "onsite": locked.onsite, "schedules_moved": moved},
        )  # fmt: skip
    return locked


def create_plan(
    *, actor: Any, name: str, product: Any = None, category: Any = None, interval_months: Any, onsite: bool = False
) -> MaintenancePlan:
    """A maintenance plan for one product or one category (not both); units sold from now on get schedules."""
    require_perm(actor, "repairs.add_maintenanceplan")
    name, months = _clean_plan(name, interval_months)
    if (product is None) == (category is None):
        raise refuse("product", _("Choose a product or a category (one of them)"), "product_or_category")
    with transaction.atomic():
        plan = MaintenancePlan.objects.create(
            name=name, product=product, category=category, interval_months=months, onsite=bool(onsite)
        )
        record_event(
            name="maintenance_plan.created", subject=plan, actor=actor,
            payload={"name": plan.name, "interval_months": months, "onsite": plan.onsite,
                     "for": product.name if product is not None else category.name},
        )  # fmt: skip
    return plan


def set_plan_active(*, actor: Any, plan: MaintenancePlan, active: bool) -> MaintenancePlan:
    """Stop a plan (no new schedules; existing ones keep running until stopped one by one) or start it again."""
    require_perm(actor, "repairs.change_maintenanceplan")
    with transaction.atomic():
        locked = MaintenancePlan.objects.select_for_update().get(pk=plan.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            record_event(
                name="maintenance_plan.started" if active else "maintenance_plan.stopped", subject=locked,
                actor=actor, payload={"name": locked.name},
            )  # fmt: skip
    return locked
