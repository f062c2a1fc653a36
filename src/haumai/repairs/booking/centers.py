"""Service centre administration: the centre's details, its weekly opening hours and its closed days."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core.errors import FieldError
from haumai.customers.models import Ward
from haumai.events.services import record_event
from haumai.repairs.booking.common import raise_if, require_perm
from haumai.repairs.models import ClosedDay, OpeningHours, ServiceCenter, ServiceCenterKind

CENTER_FIELDS = (
    "name", "kind", "address", "province", "phone", "email", "time_zone", "capacity_per_hour",
    "turnaround_target_hours", "slot_minutes", "closed_on_public_holidays", "booking_horizon_days",
    "min_notice_minutes", "is_active", "ward",
)  # fmt: skip


@dataclass(frozen=True)
class HoursRange:
    """One opening range of a weekday (0 = Monday)."""

    weekday: int
    opens_at: dt.time
    closes_at: dt.time


def _check_center(values: dict[str, Any]) -> list[FieldError]:
    errors = []
    if not str(values.get("name", "")).strip():
        errors.append(FieldError("name", _("Enter the centre's name"), "required"))
    if values.get("kind", ServiceCenterKind.OWN) not in ServiceCenterKind.values:
        errors.append(FieldError("kind", _("Unknown kind of centre")))
    try:
        ZoneInfo(str(values.get("time_zone") or "Asia/Ho_Chi_Minh"))
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError("time_zone", _("Unknown time zone")))
    capacity = values.get("capacity_per_hour", 1)
    if not isinstance(capacity, int) or not 1 <= capacity <= 500:
        errors.append(FieldError("capacity_per_hour", _("Between 1 and 500 appointments per hour")))
    slot = values.get("slot_minutes", 60)
    if not isinstance(slot, int) or slot not in (15, 20, 30, 45, 60, 90, 120):
        errors.append(FieldError("slot_minutes", _("A slot lasts 15, 20, 30, 45, 60, 90 or 120 minutes")))
    horizon = values.get("booking_horizon_days", 60)
    if not isinstance(horizon, int) or not 1 <= horizon <= 366:
        errors.append(FieldError("booking_horizon_days", _("Between 1 and 366 days")))
    return errors


def check_hours(ranges: Sequence[HoursRange]) -> list[FieldError]:
    """Field errors of a week of opening ranges: ends after starts, no overlaps on a day."""
    errors = []
    by_day: dict[int, list[HoursRange]] = {}
    for item in ranges:
        if not 0 <= item.weekday <= 6:
            errors.append(FieldError(f"hours.{item.weekday}", _("Unknown weekday")))
            continue
        if item.closes_at <= item.opens_at:
            errors.append(FieldError(f"hours.{item.weekday}", _("Closing time must be after opening time")))
        by_day.setdefault(item.weekday, []).append(item)
    for weekday, items in by_day.items():
        items.sort(key=lambda r: r.opens_at)
        for before, after in itertools.pairwise(items):
            if after.opens_at < before.closes_at:
                errors.append(FieldError(f"hours.{weekday}", _("Opening ranges of a day must not overlap")))
    return errors


def save_center(
    *, actor: Any, code: str, values: dict[str, Any], hours: Sequence[HoursRange] | None = None,
    center: ServiceCenter | None = None,
) -> ServiceCenter:  # fmt: skip
    """Create a centre (center=None) or update one, with its weekly hours when given."""
    require_perm(actor, "repairs.change_servicecenter" if center else "repairs.add_servicecenter")
    merged = {name: getattr(center, name) for name in CENTER_FIELDS} if center else {}
    merged.update({k: v for k, v in values.items() if k in CENTER_FIELDS})
    errors = _check_center(merged)
    if "ward_code" in values:
        # Where carriers pick up and deliver (2025 ward code): needed to ship units to a brand centre.
        raw = str(values["ward_code"] or "").strip()
        merged["ward"] = Ward.objects.filter(code=int(raw)).first() if raw.isdigit() and len(raw) <= 9 else None
        if raw and merged["ward"] is None:
            errors.append(FieldError("ward_code", _("Choose a ward or commune that exists"), "unknown_ward"))
    slug = code.strip().lower()
    if center is None:
        if not slug or len(slug) > 40 or not slug.replace("-", "").isalnum():
            errors.append(FieldError("code", _("Letters, digits and dashes (at most 40)"), "invalid"))
        elif ServiceCenter.objects.filter(code=slug).exists():
            errors.append(FieldError("code", _("A centre with this code exists"), "duplicate"))
    if hours is not None:
        errors += check_hours(hours)
    raise_if(errors)
    with transaction.atomic():
        if center is None:
            center = ServiceCenter.objects.create(code=slug, **merged)
            name = "service_center.created"
        else:
            center = ServiceCenter.objects.select_for_update().get(pk=center.pk)
            for field, value in merged.items():
                setattr(center, field, value)
            center.save()
            name = "service_center.updated"
        if hours is not None:
            OpeningHours.objects.filter(center=center).delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(center=center, weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at)
                for h in hours
            )
        record_event(name=name, subject=center, actor=actor, payload={"code": center.code, "name": center.name})
    return center


def add_closed_day(*, actor: Any, center: ServiceCenter, date: dt.date, reason: str = "") -> ClosedDay:
    """Close a centre on a day (booked appointments that day stay: staff move them)."""
    require_perm(actor, "repairs.change_servicecenter")
    with transaction.atomic():
        day, _created = ClosedDay.objects.update_or_create(center=center, date=date, defaults={"reason": reason[:160]})
        record_event(
            name="service_center.closed_day_added", subject=center, actor=actor,
            payload={"code": center.code, "name": center.name, "date": date.isoformat(), "reason": day.reason},
        )  # fmt: skip
    return day


def remove_closed_day(*, actor: Any, center: ServiceCenter, date: dt.date) -> int:
    """Open a centre again on a day it was closed."""
    require_perm(actor, "repairs.change_servicecenter")
    with transaction.atomic():
        removed, _rows = ClosedDay.objects.filter(center=center, date=date).delete()
        if removed:
            record_event(
                name="service_center.closed_day_removed", subject=center, actor=actor,
                payload={"code": center.code, "name": center.name, "date": date.isoformat()},
            )  # fmt: skip
    return removed
