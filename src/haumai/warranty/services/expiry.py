"""The warranty expiry reminder: a scheduler source emits `warranty.expiring` N days before a warranty's
last covered day (HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS, 30) — `covered_until`: the end date moved by days in
service, or the end of an active extended plan beyond it — with the extended plan the product can still get
(its category's, or the parent category's). The built-in journey `warranty-expiry-reminder` sends it on the
customer's channels. Once per end date: when the end moves (`refresh_cover`, called by every service that
moves it), the reminder is re-armed and a customer already reminded of the old end is reminded of the new
one. The event's subject is the unit, so the messages read `unit.product`, `unit.serial` and
`unit.warranty_expires` like every unit message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, F, Max, QuerySet, Value

from haumai.core import clock
from haumai.events.services import record_event
from haumai.warranty.models import ExtendedCoverage, ExtendedPlan, PlanStatus, Warranty, WarrantyStatus

DEFAULT_DAYS = 30


def reminder_days() -> int:
    """How many days before the end the reminder goes (setting or environment, 1..365)."""
    import os

    raw = getattr(settings, "HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS", None) or os.environ.get(
        "HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS", ""
    )
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_DAYS
    return days if 1 <= days <= 365 else DEFAULT_DAYS


def pending_expiry() -> QuerySet[Warranty]:
    """Active warranties whose cover ends within the reminder window and not reminded yet (partial index
    `warranty_cover_expiry_due`); every such row is due now."""
    today = clock.today()
    return Warranty.objects.filter(
        status=WarrantyStatus.ACTIVE,
        expiry_reminded_at__isnull=True,
        covered_until__gte=today,
        covered_until__lte=today + dt.timedelta(days=reminder_days()),
    ).annotate(remind_due=Value(clock.now(), output_field=DateTimeField()))


def refresh_cover(warranty: Warranty) -> list[str]:
    """Recompute `covered_until` of a locked warranty after its end or its plans changed; a new end re-arms
    the reminder (unless that very date was reminded already). Returns the fields to save."""
    plan_end = (
        ExtendedCoverage.objects.filter(warranty=warranty, status=PlanStatus.ACTIVE)
        .aggregate(end=Max("ends_on"))
        .get("end")
    )
    ends = [day for day in (warranty.ends_on, plan_end) if day is not None]
    covered = max(ends) if ends else None
    if covered == warranty.covered_until:
        return []
    warranty.covered_until = covered
    fields = ["covered_until"]
    if warranty.expiry_reminded_at is not None and warranty.expiry_reminded_for != covered:
        warranty.expiry_reminded_at = None
        fields.append("expiry_reminded_at")
    return fields


def offered_plan(product: Any) -> ExtendedPlan | None:
    """The extended plan on sale for the product's category (or its parent category), cheapest first."""
    category = product.category
    if category is None:
        return None
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return ExtendedPlan.objects.filter(is_active=True, category_id__in=ids).order_by("price", "pk").first()


def emit_expiring(rows: Sequence[Warranty]) -> None:
    """Scheduler handler (rows locked by the claim): emit `warranty.expiring` once per covered end date."""
    ids = [row.pk for row in rows]
    warranties = (
        Warranty.objects.filter(pk__in=ids, expiry_reminded_at__isnull=True, status=WarrantyStatus.ACTIVE)
        .select_related("unit__product__category", "customer")
        .order_by("pk")
    )
    for warranty in warranties:
        end = warranty.covered_until
        if end is None or end == warranty.expiry_reminded_for:
            continue  # this end date was reminded already (an end moved away and back)
        plan = offered_plan(warranty.unit.product)
        extended = warranty.ends_on is not None and end > warranty.ends_on
        record_event(
            name="warranty.expiring", customer=warranty.customer, subject=warranty.unit, actor_label="system",
            payload={
                "code": warranty.code, "serial": warranty.unit.serial, "product": warranty.unit.product.name,
                "ends_on": end.isoformat(), "warranty_expires": end.isoformat(),
                "days_left": (end - clock.today()).days, "by_plan": extended,
                "previous_ends_on": warranty.expiry_reminded_for.isoformat() if warranty.expiry_reminded_for else "",
                "plan": plan.code if plan else "", "plan_name": plan.name if plan else "",
                "plan_price": int(plan.price) if plan else 0,
            },
        )  # fmt: skip
    Warranty.objects.filter(pk__in=ids, expiry_reminded_at__isnull=True).update(
        expiry_reminded_at=clock.now(), expiry_reminded_for=F("covered_until")
    )


def register_source() -> None:
    """Register the scheduler source (called from WarrantyConfig.ready)."""
    from haumai.core import scheduler

    scheduler.register(
        scheduler.DueSource(
            name="warranty.expiry_reminders", pending=pending_expiry, handle=emit_expiring, due_field="remind_due"
        )
    )
