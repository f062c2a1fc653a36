"""The SLA clocks on the ticket, from its state history and messages (the SLA module's pure arithmetic).

`refresh_sla(ticket)` runs on every ticket change (inside the change's transaction): it builds the
ticket's timeline (status changes, public agent replies, customer messages), asks
`haumai.support.sla` for the policy targets and the team's business calendar, and stores the due times,
the overall `sla_status` (breached > warning > paused > ok), `breached_at`, the per-clock states and when
to look again. A clock that turned near-breach or breached is recorded as `sla.warning` / `sla.breached`;
a breach escalates the ticket one priority up. The scheduler source `support.sla` re-evaluates tickets whose
`sla_check_at` passed (time moves on without any change); calendar or policy edits re-evaluate the open
tickets through the recalculator registered here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from haumai.core import clock
from haumai.events.services import record_event
from haumai.segments import selectors as segment_selectors
from haumai.support.models import ACTIVE_STATUSES, Direction, Message, Ticket, TicketStatusChange, Visibility
from haumai.support.sla.clocks import TicketTimeline
from haumai.support.sla.evaluation import TicketSlaInput, TicketSlaResult, evaluate
from haumai.support.sla.services import RecalcScope

# Running clocks are looked at again at least this often (near-breach has no stored moment of its own).
RECHECK = dt.timedelta(minutes=10)
ESCALATE = {"low": "normal", "normal": "high", "high": "urgent"}
BATCH = 500


def _inputs(tickets: Sequence[Ticket]) -> list[TicketSlaInput]:
    """The timelines of many tickets in two queries."""
    ids = [t.pk for t in tickets]
    changes: dict[int, list[tuple[dt.datetime, str]]] = {i: [] for i in ids}
    for ticket_id, at, status in (
        TicketStatusChange.objects.filter(ticket_id__in=ids)
        .order_by("at", "id")
        .values_list("ticket_id", "at", "new_status")
    ):
        if status != "merged":
            changes[ticket_id].append((at, status))
    replies: dict[int, list[dt.datetime]] = {i: [] for i in ids}
    customer: dict[int, list[dt.datetime]] = {i: [] for i in ids}
    rows = (
        Message.objects.filter(ticket_id__in=ids, visibility=Visibility.PUBLIC)
        .order_by("sent_at", "id")
        .values_list("ticket_id", "direction", "sent_at")
    )
    for ticket_id, direction, sent_at in rows:
        (customer if direction == Direction.INBOUND else replies)[ticket_id].append(sent_at)
    # A policy for a customer segment (SlaPolicy.segment_code = a saved segment's key) beats a broader one.
    segments = segment_selectors.keys_by_customer({t.customer_id for t in tickets if t.customer_id})
    return [
        TicketSlaInput(
            key=t.pk,
            timeline=TicketTimeline(
                created_at=t.created_at,
                status_changes=changes[t.pk],
                agent_replies=replies[t.pk],
                customer_messages=customer[t.pk],
            ),
            priority=t.priority,
            channel=t.channel,
            team_id=t.team_id,
            segment_codes=segments.get(t.customer_id, ()),
            previous_states=dict(t.sla_states or {}),
        )
        for t in tickets
    ]


def _overall(states: Mapping[str, str]) -> str:
    values = set(states.values())
    if not values:
        return ""
    if values & {"breached"}:
        return "breached"
    if "warning" in values:
        return "warning"
    running = values - {"met", "met_late"}
    if not running:
        return "breached" if "met_late" in values else "ok"
    return "paused" if running == {"paused"} else "ok"


def _open_due(found: Any) -> dt.datetime | None:
    """A clock's deadline while it still runs (met clocks owe nothing)."""
    return found.due_at if found is not None and found.met_at is None else None


def _store(ticket: Ticket, result: TicketSlaResult, now: dt.datetime) -> None:
    clocks = result.clocks
    ticket.first_response_due_at = _open_due(clocks.first_response)
    ticket.next_response_due_at = _open_due(clocks.next_response)
    ticket.resolution_due_at = _open_due(clocks.resolution)
    ticket.sla_states = dict(result.states)
    ticket.sla_status = _overall(result.states)
    fields = ["first_response_due_at", "next_response_due_at", "resolution_due_at", "sla_states", "sla_status"]
    running = ticket.status in ACTIVE_STATUSES and result.next_due_at is not None
    ticket.sla_check_at = min(result.next_due_at, now + RECHECK) if running and result.next_due_at else None
    fields.append("sla_check_at")
    breached = [t for t in result.transitions if t.event == "sla.breached"]
    if breached and ticket.breached_at is None:
        ticket.breached_at = now
        fields.append("breached_at")
    if breached and ticket.status in ACTIVE_STATUSES and ticket.priority in ESCALATE:
        ticket.priority = ESCALATE[ticket.priority]
        fields.append("priority")
    for change in result.transitions:
        record_event(
            name="sla.breached" if change.event == "sla.breached" else "sla.warning",
            customer=ticket.customer_id and ticket.customer,
            subject=ticket,
            payload={
                "code": ticket.code, "clock": change.clock, "late_by_business_seconds": change.late_by_business_seconds,
                "priority": ticket.priority,
            },
        )  # fmt: skip
    Ticket.objects.filter(pk=ticket.pk).update(**{name: getattr(ticket, name) for name in fields})


def refresh_tickets(tickets: Sequence[Ticket]) -> int:
    """Recompute and store the clocks of these tickets (one policy/calendar lookup per scope)."""
    if not tickets:
        return 0
    now = clock.now()
    by_id = {t.pk: t for t in tickets}
    count = 0
    for result in evaluate(_inputs(tickets), now=now):
        _store(by_id[int(str(result.key))], result, now)
        count += 1
    return count


def refresh_sla(ticket: Ticket) -> None:
    """Recompute the ticket's SLA due times and status (call inside the change's transaction)."""
    refresh_tickets([ticket])


def due_for_check() -> QuerySet[Ticket]:
    """Tickets whose clocks must be looked at again (scheduler source)."""
    return Ticket.objects.filter(sla_check_at__isnull=False)


def handle_due(rows: Sequence[Ticket]) -> None:
    """Scheduler handler: re-evaluate claimed tickets (each gets a later check or none)."""
    refresh_tickets(list(rows))


def _open_tickets(scope: RecalcScope) -> Iterable[list[Ticket]]:
    queryset = Ticket.objects.filter(status__in=ACTIVE_STATUSES).select_related("customer").order_by("id")
    if scope.calendar_id is not None:
        from haumai.support.models import BusinessCalendar

        calendar = BusinessCalendar.objects.filter(pk=scope.calendar_id).first()
        if calendar is not None and not calendar.is_default and calendar.team_id:
            queryset = queryset.filter(team_id=calendar.team_id)
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def recalculate(scope: RecalcScope) -> int:
    """The SLA module's recalculator: every open ticket a calendar or policy change touches, in batches."""
    total = 0
    for batch in _open_tickets(scope):
        with transaction.atomic():
            total += refresh_tickets(batch)
    return total
