"""SLA rules: edit calendars and policies (each change an event) and recalculate open tickets' clocks.

Recalculation hook: the SLA package does not know the ticket model. The tickets side registers one
callback with `register_recalculator(fn)`; `fn(scope)` recomputes and stores the clocks of the open
tickets the scope touches (a calendar or a policy changed, or everything) and returns how many it
updated. A calendar or policy change schedules `recalculate_open_tickets` on commit through the worker
(`haumai.support.sla.tasks`); `haumai sla_recalculate` runs it by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core.errors import DomainError, FieldError
from haumai.events.services import record_event
from haumai.support.models import BusinessCalendar, CalendarShift, ClosedDay, SlaPolicy
from haumai.support.sla.calendar import CalendarError, normalize_ranges
from haumai.support.sla.clocks import Clock, ClockState, SlaClocks

log = logging.getLogger(__name__)


class SlaSettingsInvalid(DomainError):
    """A calendar or policy edit that breaks a rule; `field` names the form field."""

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message=message, code="sla_settings_invalid", errors=[FieldError(field, message)],
                         status=422)
        self.field = field


@dataclass(frozen=True)
class RecalcScope:
    """Which open tickets to recalculate: one calendar's, one policy's, or all (both None)."""

    calendar_id: int | None = None
    policy_id: int | None = None
    reason: str = ""


Recalculator = Callable[[RecalcScope], int]
_recalculators: dict[str, Recalculator] = {}


def register_recalculator(fn: Recalculator, *, key: str = "tickets") -> None:
    """Register the callback that recomputes stored clocks of open tickets (the tickets side calls this)."""
    _recalculators[key] = fn


def unregister_recalculator(key: str = "tickets") -> None:
    """Remove a registered callback (tests)."""
    _recalculators.pop(key, None)


def has_recalculator() -> bool:
    """Whether the tickets side registered a recalculator."""
    return bool(_recalculators)


def recalculate_open_tickets(*, calendar_id: int | None = None, policy_id: int | None = None,
                             reason: str = "") -> int:
    """Run every registered recalculator for the scope; returns how many tickets they updated."""
    scope = RecalcScope(calendar_id=calendar_id, policy_id=policy_id, reason=reason)
    if not _recalculators:
        log.info("SLA recalculation (%s) skipped: no recalculator registered", reason or "manual")
        return 0
    return sum(fn(scope) for fn in list(_recalculators.values()))


def schedule_recalculation(*, calendar_id: int | None = None, policy_id: int | None = None, reason: str) -> None:
    """Queue a recalculation for after the current transaction commits."""
    from haumai.support.sla.tasks import recalculate_open_tickets_task

    transaction.on_commit(
        lambda: recalculate_open_tickets_task.enqueue(calendar_id=calendar_id, policy_id=policy_id, reason=reason)
    )


# --- breach and near-breach transitions ---------------------------------------------------------

CLOCK_NAMES = ("first_response", "next_response", "resolution")


@dataclass(frozen=True)
class ClockTransition:
    """A clock that became near-breach or breached between two computations: the event to record."""

    clock: str  # first_response | next_response | resolution
    event: str  # "sla.warning" | "sla.breached"
    late_by_business_seconds: int


def transitions(*, before: dict[str, str] | None, after: SlaClocks, warn_ratio: float) -> list[ClockTransition]:
    """Compare stored clock states (name -> state) with new clocks; what to record and escalate."""
    previous = before or {}
    found: list[ClockTransition] = []
    for name in CLOCK_NAMES:
        clock: Clock | None = getattr(after, name)
        if clock is None:
            continue
        state = clock.state(warn_ratio)
        old = previous.get(name, "ok")
        if state in ("breached", "met_late") and old not in ("breached", "met_late"):
            found.append(ClockTransition(name, "sla.breached", clock.late_by_business_seconds))
        elif state == "warning" and old in ("ok", "paused"):
            found.append(ClockTransition(name, "sla.warning", 0))
    return found


def clock_states(clocks: SlaClocks, warn_ratio: float) -> dict[str, ClockState]:
    """name -> state of the clocks that exist (to store next to the ticket and compare next time)."""
    return {name: clock.state(warn_ratio) for name in CLOCK_NAMES if (clock := getattr(clocks, name)) is not None}


# --- calendars ----------------------------------------------------------------------------------


def _check_zone(time_zone: str) -> None:
    try:
        ZoneInfo(time_zone)
    except (KeyError, ValueError) as error:
        raise SlaSettingsInvalid(_("Unknown time zone."), field="time_zone") from error


def _snapshot(calendar: BusinessCalendar) -> dict[str, Any]:
    return {"calendar": calendar.name, "code": calendar.code, "time_zone": calendar.time_zone,
            "team": calendar.team.name if calendar.team else ""}


def save_calendar(*, actor: Any, calendar: BusinessCalendar | None = None, code: str, name: str, time_zone: str,
                  team: Any = None, is_default: bool = False, vietnam_holidays: bool = True) -> BusinessCalendar:
    """Create or edit a calendar's header; the default flag moves to it if set."""
    _check_zone(time_zone)
    others = BusinessCalendar.objects.all()
    if calendar is not None:
        others = others.exclude(pk=calendar.pk)
    with transaction.atomic():
        if is_default:
            others.filter(is_default=True).update(is_default=False)
        if team is not None and others.filter(team=team).exists():
            raise SlaSettingsInvalid(_("This team already has a calendar."), field="team")
        if others.filter(code=code).exists():
            raise SlaSettingsInvalid(_("Another calendar uses this code."), field="code")
        created = calendar is None
        target = calendar or BusinessCalendar()
        target.code, target.name, target.time_zone = code, name, time_zone
        target.team, target.is_default, target.vietnam_holidays = team, is_default, vietnam_holidays
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError as error:  # a parallel edit took the code, the team or the default flag
            raise SlaSettingsInvalid(_("Another calendar was saved with this code, team or default flag."),
                                     field="code") from error
        record_event(name="sla.calendar_created" if created else "sla.calendar_changed", subject=target,
                     actor=actor, payload=_snapshot(target))
        schedule_recalculation(calendar_id=target.pk, reason="calendar")
    return target


def set_shifts(*, actor: Any, calendar: BusinessCalendar,
               shifts: Iterable[tuple[int, dt.time, dt.time]]) -> list[CalendarShift]:
    """Replace the calendar's weekly shifts; refuses overlapping or backwards ranges per weekday."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, start, end in shifts:
        if not 0 <= weekday <= 6:
            raise SlaSettingsInvalid(_("Unknown weekday."), field="shifts")
        by_day.setdefault(weekday, []).append((start, end))
    for weekday, ranges in by_day.items():
        try:
            normalize_ranges(ranges)
        except CalendarError as error:
            raise SlaSettingsInvalid(f"{_weekday_label(weekday)}: {_shift_message(error)}", field="shifts") from error
    if not by_day:
        raise SlaSettingsInvalid(_("A calendar needs at least one shift in the week."), field="shifts")
    with transaction.atomic():
        locked = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
        locked.shifts.all().delete()
        rows = CalendarShift.objects.bulk_create(
            CalendarShift(calendar=locked, weekday=day, start=start, end=end)
            for day, ranges in sorted(by_day.items()) for start, end in sorted(ranges)
        )
        locked.save(update_fields=["updated_at"])
        record_event(name="sla.calendar_changed", subject=locked, actor=actor,
                     payload={**_snapshot(locked), "shifts": len(rows)})
        schedule_recalculation(calendar_id=locked.pk, reason="shifts")
    return rows


def _weekday_label(weekday: int) -> str:
    from haumai.support.models import Weekday

    return str(Weekday(weekday).label)


def _shift_message(error: CalendarError) -> str:
    return _("shifts of one day overlap") if "overlap" in str(error) else _("a shift ends before it starts")


def add_closed_day(*, actor: Any, calendar: BusinessCalendar, date: dt.date, reason: str = "") -> ClosedDay:
    """Close the calendar on one extra date."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                day = ClosedDay.objects.create(calendar=calendar, date=date, reason=reason.strip()[:120])
        except IntegrityError as error:
            raise SlaSettingsInvalid(_("This date is already closed."), field="date") from error
        BusinessCalendar.objects.filter(pk=calendar.pk).update(updated_at=_now())
        record_event(name="sla.calendar_changed", subject=calendar, actor=actor,
                     payload={**_snapshot(calendar), "closed": date.isoformat(), "reason": day.reason})
        schedule_recalculation(calendar_id=calendar.pk, reason="closed_day")
    return day


def remove_closed_day(*, actor: Any, calendar: BusinessCalendar, day_id: int) -> None:
    """Open a previously closed extra date again."""
    with transaction.atomic():
        day = ClosedDay.objects.filter(calendar=calendar, pk=day_id).first()
        if day is None:
            raise SlaSettingsInvalid(_("This closed day does not exist."), field="date")
        day.delete()
        BusinessCalendar.objects.filter(pk=calendar.pk).update(updated_at=_now())
        record_event(name="sla.calendar_changed", subject=calendar, actor=actor,
                     payload={**_snapshot(calendar), "reopened": day.date.isoformat()})
        schedule_recalculation(calendar_id=calendar.pk, reason="closed_day")


def _now() -> dt.datetime:
    from haumai.core import clock

    return clock.now()


# --- policies -----------------------------------------------------------------------------------

POLICY_FIELDS: Sequence[str] = ("name", "priority", "channel", "segment_code", "first_response_minutes",
                                "next_response_minutes", "resolution_minutes", "warn_percent", "active")


def save_policy(*, actor: Any, policy: SlaPolicy | None = None, **values: Any) -> SlaPolicy:
    """Create or edit a policy; one active policy per priority/channel/segment scope."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields {sorted(unknown)}")
    if not any(values.get(name) for name in ("first_response_minutes", "next_response_minutes", "resolution_minutes")):
        raise SlaSettingsInvalid(_("Set at least one target."), field="first_response_minutes")
    for name in ("first_response_minutes", "next_response_minutes", "resolution_minutes"):
        if values.get(name) is not None and values[name] <= 0:
            raise SlaSettingsInvalid(_("A target is a positive number of minutes."), field=name)
    warn = values.get("warn_percent", 80)
    if not 1 <= warn <= 100:
        raise SlaSettingsInvalid(_("The warning is between 1 and 100 percent of the target."), field="warn_percent")
    with transaction.atomic():
        clash = SlaPolicy.objects.filter(active=True, priority=values.get("priority", ""),
                                         channel=values.get("channel", ""), segment_code=values.get("segment_code", ""))
        if policy is not None:
            clash = clash.exclude(pk=policy.pk)
        if values.get("active", True) and clash.exists():
            raise SlaSettingsInvalid(_("An active policy already covers this priority, channel and segment."),
                                     field="priority")
        created = policy is None
        target = policy or SlaPolicy()
        for name, value in values.items():
            setattr(target, name, value)
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError as error:  # a parallel save created the same scope
            raise SlaSettingsInvalid(_("An active policy already covers this priority, channel and segment."),
                                     field="priority") from error
        record_event(name="sla.policy_created" if created else "sla.policy_changed", subject=target, actor=actor,
                     payload={"policy": target.name, "first": target.first_response_minutes,
                              "next": target.next_response_minutes, "resolution": target.resolution_minutes})
        schedule_recalculation(policy_id=target.pk, reason="policy")
    return target
