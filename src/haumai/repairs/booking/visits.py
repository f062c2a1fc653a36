"""On-site visits (kỹ thuật viên đến nhà): a time window at the customer's address, a technician who
has no other visit overlapping it (checked under a row lock on the technician's `TechnicianLock`, so
two parallel assignments cannot both pass), and the outcome recorded by that technician."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from haumai.accounts.models import Role
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Forbidden
from haumai.events.services import record_event
from haumai.repairs.booking import maintenance
from haumai.repairs.booking.common import VISIT_PREFIX, TechnicianBusy, refuse, require_perm
from haumai.repairs.models import OnSiteVisit, TechnicianLock, VisitOutcome, VisitStatus

MIN_WINDOW = dt.timedelta(minutes=30)
MAX_WINDOW = dt.timedelta(hours=8)


def technicians() -> list[Any]:
    """Active staff users in the technician role, by name."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.TECHNICIAN)
        .order_by("first_name", "username")
        .distinct()
    )


def _is_technician(user: Any) -> bool:
    return bool(user.is_active and user.groups.filter(name=Role.TECHNICIAN).exists())


def _window_label(visit: OnSiteVisit) -> str:
    start = visit.window_start.astimezone(clock.LOCAL_TZ)
    return f"{start:%d/%m/%Y %H:%M}–{visit.window_end.astimezone(clock.LOCAL_TZ):%H:%M}"


def payload_of(visit: OnSiteVisit, **extra: Any) -> dict[str, Any]:
    """The event payload of a visit."""
    technician = visit.technician
    return {
        "code": visit.code,
        "window": _window_label(visit),
        "window_start": visit.window_start.isoformat(),
        "technician": (technician.get_full_name() or technician.get_username()) if technician else "",
        "status": visit.status,
        "outcome": visit.outcome,
        **extra,
    }


def _lock_technician(technician: Any, visit_window: tuple[dt.datetime, dt.datetime], exclude: int | None) -> None:
    """Lock the technician's row and refuse when another scheduled visit overlaps (call in a transaction)."""
    TechnicianLock.objects.get_or_create(technician=technician)
    TechnicianLock.objects.select_for_update().get(technician=technician)
    start, end = visit_window
    clash = OnSiteVisit.objects.filter(
        technician=technician, status=VisitStatus.SCHEDULED, window_start__lt=end, window_end__gt=start
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise TechnicianBusy()


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise refuse("window_start", _("Give the time with its time zone"))
    if start < clock.now():
        raise refuse("window_start", _("The visit window is in the past"), "past")
    if not MIN_WINDOW <= end - start <= MAX_WINDOW:
        raise refuse("window_end", _("A visit window lasts between 30 minutes and 8 hours"), "window")


def schedule_visit(
    *,
    actor: Any,
    customer: Any,
    address: Any,
    window_start: dt.datetime,
    window_end: dt.datetime,
    technician: Any = None,
    unit: Any = None,
    reason: str = "",
    schedule: Any = None,
) -> OnSiteVisit:
    """Plan a visit at one of the customer's addresses, optionally assigned to a free technician."""
    require_perm(actor, "repairs.add_onsitevisit")
    if address is None or address.customer_id != customer.pk:
        raise refuse("address", _("Choose one of the customer's addresses"), "not_owner")
    _check_window(window_start, window_end)
    if technician is not None and not _is_technician(technician):
        raise refuse("technician", _("This user is not an active technician"), "not_technician")
    if len(reason) > 500:
        raise refuse("reason", _("At most 500 characters"), "too_long")
    with transaction.atomic():
        if technician is not None:
            _lock_technician(technician, (window_start, window_end), None)
        visit = OnSiteVisit.objects.create(
            code=next_code(VISIT_PREFIX), customer=customer, unit=unit, address=address, technician=technician,
            window_start=window_start, window_end=window_end, reason=reason.strip(), maintenance=schedule,
            booked_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        record_event(name="visit.scheduled", customer=customer, subject=visit, actor=actor, payload=payload_of(visit))
    return visit


def _locked(visit: OnSiteVisit) -> OnSiteVisit:
    return (
        OnSiteVisit.objects.select_for_update(of=("self",))
        .select_related("customer", "technician", "maintenance")
        .get(pk=visit.pk)
    )


def assign_technician(*, actor: Any, visit: OnSiteVisit, technician: Any) -> OnSiteVisit:
    """Give a scheduled visit to a technician who is free in its window."""
    require_perm(actor, "repairs.change_onsitevisit")
    if not _is_technician(technician):
        raise refuse("technician", _("This user is not an active technician"), "not_technician")
    with transaction.atomic():
        _lock_technician(technician, (visit.window_start, visit.window_end), visit.pk)
        current = _locked(visit)
        if current.status != VisitStatus.SCHEDULED:
            raise refuse("status", _("Only a scheduled visit can be assigned"), "wrong_status")
        current.technician = technician
        current.save(update_fields=["technician"])
        record_event(name="visit.assigned", customer=current.customer, subject=current, actor=actor,
                     payload=payload_of(current))  # fmt: skip
    return current


def record_outcome(*, actor: Any, visit: OnSiteVisit, outcome: str, notes: str = "") -> OnSiteVisit:
    """The assigned technician records what happened (fixed, needs the workshop, parts ordered, maintained)."""
    require_perm(actor, "repairs.record_visit_outcome")
    if outcome not in VisitOutcome.values:
        raise refuse("outcome", _("Choose the outcome of the visit"), "required")
    if len(notes) > 4000:
        raise refuse("notes", _("At most 4000 characters"), "too_long")
    with transaction.atomic():
        current = _locked(visit)
        if current.technician_id is None or current.technician_id != getattr(actor, "pk", None):
            raise Forbidden(_("This visit is assigned to another technician"))
        if current.status != VisitStatus.SCHEDULED:
            raise refuse("status", _("The outcome of this visit was already recorded"), "wrong_status")
        if current.window_start > clock.now():
            raise refuse("outcome", _("The visit has not started yet"), "too_soon")
        current.status = VisitStatus.DONE
        current.outcome = outcome
        current.outcome_notes = notes.strip()
        current.completed_at = clock.now()
        current.save(update_fields=["status", "outcome", "outcome_notes", "completed_at"])
        record_event(name="visit.completed", customer=current.customer, subject=current, actor=actor,
                     payload=payload_of(current, outcome_label=str(current.get_outcome_display())))  # fmt: skip
        if current.maintenance is not None and outcome in (VisitOutcome.MAINTAINED, VisitOutcome.FIXED):
            maintenance.record_done(actor=actor, schedule=current.maintenance, note=notes[:500], visit=current)
    return current


def cancel_visit(*, actor: Any, visit: OnSiteVisit, reason: str = "") -> OnSiteVisit:
    """Cancel a scheduled visit (frees the technician's window)."""
    require_perm(actor, "repairs.change_onsitevisit")
    with transaction.atomic():
        current = _locked(visit)
        if current.status != VisitStatus.SCHEDULED:
            raise refuse("status", _("Only a scheduled visit can be cancelled"), "wrong_status")
        current.status = VisitStatus.CANCELLED
        current.outcome_notes = reason.strip()[:4000]
        current.save(update_fields=["status", "outcome_notes"])
        record_event(name="visit.cancelled", customer=current.customer, subject=current, actor=actor,
                     payload=payload_of(current, reason=current.outcome_notes))  # fmt: skip
    return current
