"""SLA clocks computed from a ticket's history (pure: no database, no clock reads).

Three clocks, each against a business calendar:
- first response: starts when the ticket is created, met by the first agent reply;
- next response: starts at the first customer message that follows an agent reply, met by the next
  agent reply (a new cycle starts with the next customer message after that); the clock returned is
  the latest cycle;
- resolution: starts when the ticket is created, met when the ticket is solved or closed (if it is
  reopened the clock runs on and the solved time is not counted).

Only business time while the ticket is `new` or `open` counts: `pending` (waiting on the customer)
pauses every clock, and so does `solved`/`closed` (nobody owes a reply on a solved ticket). A clock
is breached when the counted time at the moment it was met (or now) exceeds the target; "late by" is
how much counted business time is beyond the target. While a clock is paused and unmet it has no due
date (`due_at` is None) because no deadline is running; `elapsed_ratio` still says how far it got.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from haumai.support.sla.calendar import WorkingCalendar, add_business_time, business_time_between

ACTIVE_STATUSES = frozenset({"new", "open"})
PAUSED_STATUSES = frozenset({"pending", "solved", "closed"})
DONE_STATUSES = frozenset({"solved", "closed"})
STATUSES = ACTIVE_STATUSES | PAUSED_STATUSES

ClockState = Literal["ok", "warning", "breached", "met", "met_late", "paused"]


@dataclass(frozen=True)
class SlaTargets:
    """Targets in business minutes (None = no such clock) and the near-breach ratio."""

    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    warn_ratio: float = 0.8

    def __post_init__(self) -> None:
        for name in ("first_response_minutes", "next_response_minutes", "resolution_minutes"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0 < self.warn_ratio <= 1:
            raise ValueError("warn_ratio must be in (0, 1]")


@dataclass(frozen=True)
class TicketTimeline:
    """What the clocks need from a ticket: creation, status changes (at, new status) and messages."""

    created_at: dt.datetime
    status_changes: Sequence[tuple[dt.datetime, str]] = ()
    agent_replies: Sequence[dt.datetime] = ()
    customer_messages: Sequence[dt.datetime] = ()


@dataclass(frozen=True)
class Clock:
    """One clock's state at `now`."""

    due_at: dt.datetime | None
    met_at: dt.datetime | None
    breached: bool
    late_by_business_seconds: int
    elapsed_ratio: float
    paused: bool

    def state(self, warn_ratio: float) -> ClockState:
        """ok / warning (near breach) / breached / met / met_late / paused, for badges and queues."""
        if self.met_at is not None:
            return "met_late" if self.breached else "met"
        if self.breached:
            return "breached"
        if self.paused:
            return "paused"
        return "warning" if self.elapsed_ratio >= warn_ratio else "ok"


@dataclass(frozen=True)
class SlaClocks:
    """The three clocks of a ticket (None where the policy sets no target or the clock never started)."""

    first_response: Clock | None
    next_response: Clock | None
    resolution: Clock | None

    def running(self) -> list[Clock]:
        """Clocks that are neither met nor paused."""
        return [c for c in (self.first_response, self.next_response, self.resolution)
                if c is not None and c.met_at is None and not c.paused]

    def next_due_at(self) -> dt.datetime | None:
        """The earliest due date among running clocks (queue order)."""
        dues = [c.due_at for c in self.running() if c.due_at is not None]
        return min(dues) if dues else None


Pause = tuple[dt.datetime, dt.datetime | None]  # [start, end); end None = still paused


def _pauses(timeline: TicketTimeline, now: dt.datetime) -> tuple[list[Pause], str, dt.datetime | None]:
    """Paused stretches, the status at `now`, and when the current solved/closed stretch began."""
    changes = sorted((at, status) for at, status in timeline.status_changes if at <= now)
    pauses: list[Pause] = []
    status = "new"
    paused_since: dt.datetime | None = None
    done_since: dt.datetime | None = None
    for at, new_status in changes:
        if new_status not in STATUSES:
            raise ValueError(f"unknown ticket status {new_status!r}")
        at = max(at, timeline.created_at)
        if new_status in PAUSED_STATUSES and paused_since is None:
            paused_since = at
        elif new_status in ACTIVE_STATUSES and paused_since is not None:
            if at > paused_since:
                pauses.append((paused_since, at))
            paused_since = None
        if new_status in DONE_STATUSES:
            if status not in DONE_STATUSES:
                done_since = at
        else:
            done_since = None
        status = new_status
    if paused_since is not None:
        pauses.append((paused_since, None))
    return pauses, status, done_since


def _counted(
    cal: WorkingCalendar, start: dt.datetime, end: dt.datetime, pauses: Sequence[Pause]
) -> dt.timedelta:
    """Business time in [start, end) outside the pauses."""
    total = business_time_between(cal, start, end)
    for pause_start, pause_end in pauses:
        a = max(pause_start, start)
        b = end if pause_end is None else min(pause_end, end)
        if b > a:
            total -= business_time_between(cal, a, b)
    return total


def _due(
    cal: WorkingCalendar, start: dt.datetime, target: dt.timedelta, pauses: Sequence[Pause]
) -> dt.datetime | None:
    """When the counted time since `start` reaches `target`, or None if a pause without end comes first."""
    remaining = target
    cursor = start
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            available = business_time_between(cal, cursor, pause_start)
            if remaining <= available:
                return add_business_time(cal, cursor, remaining)
            remaining -= available
        if pause_end is None:
            return None
        cursor = max(cursor, pause_end)
    return add_business_time(cal, cursor, remaining)


def _clock(
    *,
    cal: WorkingCalendar,
    start: dt.datetime,
    met_at: dt.datetime | None,
    target_minutes: int,
    pauses: Sequence[Pause],
    now: dt.datetime,
) -> Clock:
    target = dt.timedelta(minutes=target_minutes)
    end = met_at if met_at is not None else max(now, start)
    counted = _counted(cal, start, end, pauses)
    paused_now = met_at is None and any(
        p_start <= now and (p_end is None or now < p_end) for p_start, p_end in pauses
    )
    due_at = _due(cal, start, target, pauses)
    if paused_now and counted <= target:
        due_at = None
    late = max(counted - target, dt.timedelta(0))
    return Clock(
        due_at=due_at,
        met_at=met_at,
        breached=counted > target,
        late_by_business_seconds=int(late // dt.timedelta(seconds=1)),
        elapsed_ratio=counted / target,
        paused=paused_now,
    )


def _next_response_cycle(
    timeline: TicketTimeline, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime | None] | None:
    """(start, met_at) of the latest next-response cycle, or None when none has started."""
    events = sorted(
        [(at, 0) for at in timeline.agent_replies if at <= now]
        + [(at, 1) for at in timeline.customer_messages if at <= now]
    )
    replied = False
    cycle_start: dt.datetime | None = None
    latest: tuple[dt.datetime, dt.datetime | None] | None = None
    for at, kind in events:
        if kind == 0:
            if cycle_start is not None:
                latest = (cycle_start, at)
                cycle_start = None
            replied = True
        elif replied and cycle_start is None:
            cycle_start = at
            latest = (cycle_start, None)
    return latest


def compute_clocks(
    *, timeline: TicketTimeline, targets: SlaTargets, calendar: WorkingCalendar, now: dt.datetime
) -> SlaClocks:
    """The ticket's first-response, next-response and resolution clocks at `now`."""
    created = timeline.created_at
    pauses, status, done_since = _pauses(timeline, now)

    first = None
    if targets.first_response_minutes is not None:
        replies = sorted(at for at in timeline.agent_replies if created <= at <= now)
        first = _clock(cal=calendar, start=created, met_at=replies[0] if replies else None,
                       target_minutes=targets.first_response_minutes, pauses=pauses, now=now)

    following = None
    if targets.next_response_minutes is not None:
        cycle = _next_response_cycle(timeline, now)
        if cycle is not None:
            following = _clock(cal=calendar, start=cycle[0], met_at=cycle[1],
                               target_minutes=targets.next_response_minutes, pauses=pauses, now=now)

    resolution = None
    if targets.resolution_minutes is not None:
        met = done_since if status in DONE_STATUSES else None
        resolution = _clock(cal=calendar, start=created, met_at=met,
                            target_minutes=targets.resolution_minutes, pauses=pauses, now=now)
    return SlaClocks(first_response=first, next_response=following, resolution=resolution)
