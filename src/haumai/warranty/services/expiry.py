"""The warranty expiry reminder: a scheduler source emits `warranty.expiring` N days before a warranty's
last covered day (HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS, 30), once per warranty, with the extended plan
the product can still get (its category's, or the parent category's). The built-in journey
`warranty-expiry-reminder` sends it on the customer's channels. A warranty whose extended plan already
covers beyond its end is marked and not reminded. The event's subject is the unit, so the messages read
`unit.product`, `unit.serial` and `unit.warranty_expires` like every unit message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, QuerySet, Value

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
    """Active warranties ending within the reminder window and not reminded yet (partial index
    `warranty_expiry_due`); every such row is due now."""
    today = clock.today()
    return Warranty.objects.filter(
        status=WarrantyStatus.ACTIVE,
        expiry_reminded_at__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + dt.timedelta(days=reminder_days()),
    ).annotate(remind_due=Value(clock.now(), output_field=DateTimeField()))


def offered_plan(product: Any) -> ExtendedPlan | None:
    """The extended plan on sale for the product's category (or its parent category), cheapest first."""
    category = product.category
    if category is None:
        return None
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return ExtendedPlan.objects.filter(is_active=True, category_id__in=ids).order_by("price", "pk").first()


def emit_expiring(rows: Sequence[Warranty]) -> None:
    """Scheduler handler (rows locked by the claim): emit `warranty.expiring` once per warranty."""
    ids = [row.pk for row in rows]
    warranties = (
        Warranty.objects.filter(pk__in=ids, expiry_reminded_at__isnull=True, status=WarrantyStatus.ACTIVE)
        .select_related("unit__product__category", "customer")
        .order_by("pk")
    )
    covered = set(
        ExtendedCoverage.objects.filter(warranty_id__in=ids, status=PlanStatus.ACTIVE)
        .filter(ends_on__gt=clock.today())
        .values_list("warranty_id", flat=True)
    )
    for warranty in warranties:
        if warranty.pk in covered or warranty.ends_on is None:
            continue  # an extended plan takes over: nothing to offer
        plan = offered_plan(warranty.unit.product)
        record_event(
            name="warranty.expiring", customer=warranty.customer, subject=warranty.unit, actor_label="system",
            payload={
                "code": warranty.code, "serial": warranty.unit.serial, "product": warranty.unit.product.name,
                "ends_on": warranty.ends_on.isoformat(), "warranty_expires": warranty.ends_on.isoformat(),
                "days_left": (warranty.ends_on - clock.today()).days,
                "plan": plan.code if plan else "", "plan_name": plan.name if plan else "",
                "plan_price": int(plan.price) if plan else 0,
            },
        )  # fmt: skip
    Warranty.objects.filter(pk__in=ids, expiry_reminded_at__isnull=True).update(expiry_reminded_at=clock.now())


def register_source() -> None:
    """Register the scheduler source (called from WarrantyConfig.ready)."""
    from haumai.core import scheduler

    scheduler.register(
        scheduler.DueSource(
            name="warranty.expiry_reminders", pending=pending_expiry, handle=emit_expiring, due_field="remind_due"
        )
    )
