"""Reads for SLA: which policy and which business calendar apply to a ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from haumai.core import clock
from haumai.segments import selectors as segment_selectors
from haumai.support.models import BusinessCalendar, SlaPolicy
from haumai.support.sla.calendar import VIETNAM_DEFAULT_SHIFTS, WorkingCalendar
from haumai.support.sla.clocks import SlaTargets
from haumai.support.sla.holidays_vn import vietnam_holiday_dates

# Targets when no policy matches: 4 business hours to a first reply, 8 to the next, 5 business days to solve.
DEFAULT_TARGETS = SlaTargets(
    first_response_minutes=4 * 60, next_response_minutes=8 * 60, resolution_minutes=5 * 8 * 60, warn_ratio=0.8
)
# Holidays are loaded for this window of years around today (the calendar is rebuilt when it moves).
HOLIDAY_YEARS_BEFORE, HOLIDAY_YEARS_AFTER = 2, 3

# Specificity of a policy match: priority weighs most, then channel, then the customer segment.
WEIGHTS = {"priority": 4, "channel": 2, "segment_code": 1}


def specificity(policy: SlaPolicy) -> int:
    """How specific a policy is (a policy naming more criteria beats a broader one)."""
    return sum(weight for name, weight in WEIGHTS.items() if getattr(policy, name))


def policy_targets(policy: SlaPolicy) -> SlaTargets:
    """The pure targets of a stored policy."""
    return SlaTargets(
        first_response_minutes=policy.first_response_minutes,
        next_response_minutes=policy.next_response_minutes,
        resolution_minutes=policy.resolution_minutes,
        warn_ratio=policy.warn_percent / 100,
    )


def matching_policy(*, priority: str, channel: str, segment_codes: Iterable[str]) -> SlaPolicy | None:
    """The most specific active policy for a priority, channel and the customer's segment codes."""
    segments = [code for code in segment_codes if code]
    candidates = SlaPolicy.objects.filter(
        Q(priority="") | Q(priority=priority),
        Q(channel="") | Q(channel=channel),
        Q(segment_code="") | Q(segment_code__in=segments),
        active=True,
    )
    best = sorted(candidates, key=lambda p: (-specificity(p), p.segment_code, p.pk))
    return best[0] if best else None


@dataclass(frozen=True)
class _CacheKey:
    pk: int
    updated_at: dt.datetime
    first_year: int


_built: dict[_CacheKey, WorkingCalendar] = {}


def holiday_years(today: dt.date | None = None) -> range:
    """The years whose public holidays a calendar built today includes."""
    year = (today or clock.today()).year
    return range(year - HOLIDAY_YEARS_BEFORE, year + HOLIDAY_YEARS_AFTER + 1)


def working_calendar(calendar: BusinessCalendar) -> WorkingCalendar:
    """The pure calendar of a stored one: shifts, closed days and (if set) Vietnamese holidays."""
    years = holiday_years()
    key = _CacheKey(pk=calendar.pk, updated_at=calendar.updated_at, first_year=years.start)
    cached = _built.get(key)
    if cached is not None:
        return cached
    shifts: dict[int, list[tuple[dt.time | str, dt.time | str]]] = {}
    for shift in calendar.shifts.all():
        shifts.setdefault(shift.weekday, []).append((shift.start, shift.end))
    closed = {day.date for day in calendar.closed_days.all()}
    if calendar.vietnam_holidays:
        closed |= vietnam_holiday_dates(years)
    if not shifts:  # a calendar being set up: office hours until shifts are entered
        shifts = {day: list(ranges) for day, ranges in VIETNAM_DEFAULT_SHIFTS.items()}
    built = WorkingCalendar.build(time_zone=calendar.time_zone, shifts=shifts, closed_dates=closed, name=calendar.name)
    if len(_built) > 256:
        _built.clear()
    _built[key] = built
    return built


def default_working_calendar() -> WorkingCalendar:
    """The calendar flagged default, or office hours with Vietnamese holidays when there is none."""
    stored = BusinessCalendar.objects.filter(is_default=True).prefetch_related("shifts", "closed_days").first()
    if stored is not None:
        return working_calendar(stored)
    return WorkingCalendar.build(
        time_zone="Asia/Ho_Chi_Minh",
        shifts=VIETNAM_DEFAULT_SHIFTS,
        closed_dates=vietnam_holiday_dates(holiday_years()),
        name="default",
    )


def calendar_for_team(team_id: int | None) -> WorkingCalendar:
    """The team's calendar, else the default one."""
    if team_id is not None:
        stored = BusinessCalendar.objects.filter(team_id=team_id).prefetch_related("shifts", "closed_days").first()
        if stored is not None:
            return working_calendar(stored)
    return default_working_calendar()


def targets_for(
    *, priority: str, channel: str, segment_codes: Iterable[str], team_id: int | None
) -> tuple[SlaTargets, WorkingCalendar]:
    """The targets of the most specific matching policy (or the defaults) and the team's calendar."""
    policy = matching_policy(priority=priority, channel=channel, segment_codes=segment_codes)
    targets = policy_targets(policy) if policy is not None else DEFAULT_TARGETS
    return targets, calendar_for_team(team_id)


def calendars() -> QuerySet[BusinessCalendar]:
    """Calendars for the settings list, with their team."""
    return BusinessCalendar.objects.select_related("team").order_by("-is_default", "name")


def policies(*, active: bool | None = None) -> QuerySet[SlaPolicy]:
    """SLA policies for the settings list."""
    rows = SlaPolicy.objects.all()
    if active is not None:
        rows = rows.filter(active=active)
    return rows.order_by("-active", "priority", "channel", "segment_code", "name")


def calendar_detail(pk: int) -> BusinessCalendar | None:
    """One calendar with its shifts and closed days."""
    return (
        BusinessCalendar.objects.select_related("team").prefetch_related("shifts", "closed_days").filter(pk=pk).first()
    )


def week_summary(calendar: BusinessCalendar) -> list[dict[str, Any]]:
    """Per weekday: the shifts and the open minutes (for the settings page)."""
    from haumai.support.models import Weekday

    days: list[dict[str, Any]] = [
        {"weekday": day, "label": Weekday(day).label, "shifts": [], "minutes": 0} for day in range(7)
    ]
    for shift in calendar.shifts.all():
        end_minutes = 24 * 60 if shift.end == dt.time(0) else shift.end.hour * 60 + shift.end.minute
        days[shift.weekday]["shifts"].append(shift)
        days[shift.weekday]["minutes"] += end_minutes - (shift.start.hour * 60 + shift.start.minute)
    return days


def segment_names(keys: set[str]) -> dict[str, str]:
    """The saved segments' names for these keys (a policy shows the name, not the key)."""
    return {key: segment.name for key, segment in segment_selectors.segments_by_key(keys).items()}
