"""Evaluate many tickets' SLA at once: the body of a recalculator for the tickets side.

The tickets side builds one `TicketSlaInput` per open ticket (its timeline, priority, channel, the
customer's segment codes, team, and the clock states stored last time) and stores what `evaluate`
yields: the clocks, the new states, the earliest running due date (queue order) and the transitions
to record as `sla.warning` / `sla.breached` events. Policies and calendars are looked up once per
distinct (priority, channel, segments, team), so 100,000 tickets cost a handful of queries.

    def recalculate(scope: RecalcScope) -> int:
        rows = [TicketSlaInput(key=t.pk, timeline=..., priority=t.priority, ...) for t in open_tickets(scope)]
        results = list(evaluate(rows, now=clock.now()))
        ...store results, record transitions...
        return len(results)

    register_recalculator(recalculate)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from haumai.support.sla.calendar import WorkingCalendar
from haumai.support.sla.clocks import ClockState, SlaClocks, SlaTargets, TicketTimeline, compute_clocks
from haumai.support.sla.selectors import targets_for
from haumai.support.sla.services import ClockTransition, clock_states, transitions


@dataclass(frozen=True)
class TicketSlaInput:
    key: Hashable  # the ticket's id, returned as is
    timeline: TicketTimeline
    priority: str
    channel: str
    segment_codes: tuple[str, ...] = ()
    team_id: int | None = None
    previous_states: dict[str, str] | None = None


@dataclass(frozen=True)
class TicketSlaResult:
    key: Hashable
    clocks: SlaClocks
    states: dict[str, ClockState]
    transitions: list[ClockTransition] = field(default_factory=list)
    next_due_at: dt.datetime | None = None
    warn_ratio: float = 0.8


def evaluate(rows: Iterable[TicketSlaInput], *, now: dt.datetime) -> Iterator[TicketSlaResult]:
    """Clocks, states, queue due date and new warnings/breaches of each ticket at `now`."""
    lookups: dict[tuple[str, str, tuple[str, ...], int | None], tuple[SlaTargets, WorkingCalendar]] = {}
    for row in rows:
        scope = (row.priority, row.channel, tuple(sorted(row.segment_codes)), row.team_id)
        found = lookups.get(scope)
        if found is None:
            found = targets_for(priority=row.priority, channel=row.channel, segment_codes=scope[2],
                                team_id=row.team_id)
            lookups[scope] = found
        targets, calendar = found
        clocks = compute_clocks(timeline=row.timeline, targets=targets, calendar=calendar, now=now)
        yield TicketSlaResult(
            key=row.key,
            clocks=clocks,
            states=clock_states(clocks, targets.warn_ratio),
            transitions=transitions(before=row.previous_states, after=clocks, warn_ratio=targets.warn_ratio),
            next_due_at=clocks.next_due_at(),
            warn_ratio=targets.warn_ratio,
        )
