"""The support KPIs' inputs per period (analytics rolls them up per local day) and their drill-down reads.

One period [start, end), every figure a count `n` with `hits`/`misses` or a `total` of seconds:
- `frt`: tickets whose first public agent reply fell in the period; total = calendar seconds since created.
- `frt_business`: the same tickets; total = business seconds on the team's calendar (shifts, breaks,
  closed days and Vietnamese holidays), the clock the SLA uses.
- `resolution`: tickets solved in the period (state history; a ticket solved twice counts once, at its last
  solve in the period); total = calendar seconds created -> solved.
- `fcr`: the same tickets; hits = solved with one public agent reply and never reopened (a reopen turns it
  false, so a ticket reopened later is a miss on the day it was first solved once that day is refreshed).
- `reopened`: changes from solved or closed back to work in the period (each reopen counts once).
- `sla`: the SLA clocks of the tickets solved in the period; hits = met on time, misses = met late or
  breached (clocks without a target are not counted).
- `next_response`: agent public replies sent in the period that answer a customer message after the ticket's
  first reply; total = calendar seconds from the first customer message since the agent's previous public
  reply to this one (two agent replies in a row, or a customer message never answered, count nothing).
- `backlog`: a level at `end`: tickets created before `end` whose last state before `end` still needs work.
Merged tickets are left out everywhere (their messages live on in the ticket they joined).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from haumai.support.models import (
    ACTIVE_STATUSES,
    Direction,
    Message,
    Ticket,
    TicketStatus,
    TicketStatusChange,
    Visibility,
)  # fmt: skip
from haumai.support.sla.calendar import business_seconds_between
from haumai.support.sla.selectors import calendar_for_team

REOPEN_FROM = (TicketStatus.SOLVED, TicketStatus.CLOSED)
REOPEN_TO = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING)
SLA_MET, SLA_LATE = {"met"}, {"met_late", "breached"}


def _live() -> QuerySet[Ticket]:
    return Ticket.objects.exclude(status=TicketStatus.MERGED)


def first_responses_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Ticket]:
    """Tickets first answered in [start, end), newest first (drill-down of FRT)."""
    return (
        _live()
        .filter(first_response_at__gte=start, first_response_at__lt=end)
        .select_related("customer", "assignee")
        .order_by("-first_response_at", "-id")
    )


def solved_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    """Tickets solved in [start, end) by their state history, each once with its last solve in the range as
    `solved_then`, newest first (drill-down of resolution time, FCR and SLA attainment). A ticket solved and
    reopened later still counts on the day of its solve (its FCR is then false)."""
    solves = TicketStatusChange.objects.filter(at__gte=start, at__lt=end, new_status=TicketStatus.SOLVED)
    last_solve = solves.filter(ticket_id=OuterRef("pk")).order_by("-at", "-id").values("at")[:1]
    return (
        _live()
        .filter(pk__in=solves.values("ticket_id"))
        .annotate(solved_then=Subquery(last_solve))
        .select_related("customer", "assignee")
        .order_by("-solved_then", "-id")
    )


def reopens_between(start: dt.datetime, end: dt.datetime) -> QuerySet[TicketStatusChange]:
    """State changes from solved/closed back to work in [start, end) (drill-down of the reopen rate)."""
    return (
        TicketStatusChange.objects.filter(
            at__gte=start, at__lt=end, old_status__in=REOPEN_FROM, new_status__in=REOPEN_TO
        )
        .select_related("ticket__customer", "ticket__assignee")
        .order_by("-at", "-id")
    )


def backlog_at(moment: dt.datetime) -> QuerySet[Ticket]:
    """Tickets that still needed work at a moment: created before it, last state before it active."""
    last_state = (
        TicketStatusChange.objects.filter(ticket_id=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-id")
        .values("new_status")[:1]
    )
    # Only a ticket still active now, or changed since the moment, can have been active then (every change
    # moves updated_at): the state history is read for those alone, not for every old solved ticket.
    return (
        _live()
        .filter(created_at__lt=moment)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(updated_at__gte=moment))
        .annotate(state_then=Subquery(last_state))
        .filter(Q(state_then__in=ACTIVE_STATUSES) | Q(state_then__isnull=True))
        .select_related("customer", "assignee")
        .order_by("created_at", "id")
    )


def next_responses_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Message]:
    """Agent public replies sent in [start, end) that answer a customer message after the ticket's first reply,
    each with `previous_reply_at` and `waiting_since` (the first customer message since then), newest first."""
    replies = Message.objects.filter(direction=Direction.OUTBOUND, visibility=Visibility.PUBLIC)
    previous = (
        replies.filter(ticket_id=OuterRef("ticket_id"), sent_at__lt=OuterRef("sent_at"))
        .order_by("-sent_at", "-id")
        .values("sent_at")[:1]
    )
    waiting = (
        Message.objects.filter(
            ticket_id=OuterRef("ticket_id"), direction=Direction.INBOUND,
            sent_at__gt=OuterRef("previous_reply_at"), sent_at__lt=OuterRef("sent_at"),
        )
        .order_by("sent_at", "id")
        .values("sent_at")[:1]
    )  # fmt: skip
    return (
        replies.filter(sent_at__gte=start, sent_at__lt=end)
        .exclude(ticket__status=TicketStatus.MERGED)
        .annotate(previous_reply_at=Subquery(previous))
        .filter(previous_reply_at__isnull=False)
        .annotate(waiting_since=Subquery(waiting))
        .filter(waiting_since__isnull=False)
        .select_related("ticket__customer", "author")
        .order_by("-sent_at", "-id")
    )


def _business_seconds(rows: list[tuple[Any, ...]]) -> int:
    calendars: dict[int | None, Any] = {}
    total = 0
    for team_id, created_at, answered_at, _seconds in rows:
        if team_id not in calendars:
            calendars[team_id] = calendar_for_team(team_id)
        total += business_seconds_between(calendars[team_id], created_at, answered_at)
    return total


def _seconds_between(rows: list[tuple[Any, ...]]) -> int:
    """Sum of (second - first) over rows whose first two items are datetimes."""
    return int(sum((row[1] - row[0]).total_seconds() for row in rows if row[0] and row[1]))


def _sla_counts(states: list[dict[str, str]]) -> tuple[int, int]:
    met = late = 0
    for clocks in states:
        for state in (clocks or {}).values():
            met += state in SLA_MET
            late += state in SLA_LATE
    return met, late


def daily_facts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """Every support figure of one period [start, end) (see the module docstring); a handful of queries."""
    answered = list(
        first_responses_between(start, end).values_list(
            "team_id", "created_at", "first_response_at", "first_response_seconds"
        )
    )
    solved = list(
        solved_between(start, end).values_list("created_at", "solved_then", "first_contact_resolution", "sla_states")
    )
    met, late = _sla_counts([row[3] for row in solved])
    reopened = reopens_between(start, end).count()
    backlog = backlog_at(end).count()
    replies = next_responses_between(start, end)
    next_replies = list(replies.values_list("waiting_since", "sent_at"))  # type: ignore[misc]  # an annotation
    return {
        "next_response": {"n": len(next_replies), "total": _seconds_between(next_replies)},
        "frt": {"n": len(answered), "total": sum(int(row[3] or 0) for row in answered)},
        "frt_business": {"n": len(answered), "total": _business_seconds(answered)},
        "resolution": {"n": len(solved), "total": _seconds_between(solved)},
        "fcr": {"n": len(solved), "hits": sum(1 for row in solved if row[2])},
        "reopened": {"n": reopened},
        "sla": {"n": met + late, "hits": met, "misses": late},
        "backlog": {"n": backlog},
    }


def earliest_ticket() -> dt.datetime | None:
    """When the first ticket was created (the rollup backfill starts there)."""
    first = _live().order_by("created_at").values_list("created_at", flat=True).first()
    return first


BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "agent": ("assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name"),
    "team": ("team_id", "team__name"),
    "channel": ("channel",),
    "tag": ("tags__id", "tags__name"),
}


def breakdown(
    start: dt.datetime, end: dt.datetime, by: str = "agent", limit: int = 50, *, team: int | None = None
) -> list[dict[str, Any]]:
    """Per assignee, team, channel or tag (`by`), the tickets solved in [start, end): solved, FCR hits,
    reopened, first-reply seconds and how many were answered (one grouped query); `team` narrows to one team.
    By tag, a ticket counts once under each of its tags, and tickets without a tag form one row."""
    reopened = TicketStatusChange.objects.filter(
        ticket_id=OuterRef("pk"), old_status__in=REOPEN_FROM, new_status__in=REOPEN_TO
    )
    fields = BREAKDOWNS[by]
    solved = solved_between(start, end)
    if team:
        solved = solved.filter(team_id=team)
    rows = (
        solved
        .annotate(was_reopened=Exists(reopened))
        .values(*fields)
        .annotate(
            solved=Count("id"),
            fcr=Count("id", filter=Q(first_contact_resolution=True)),
            reopened=Count("id", filter=Q(was_reopened=True)),
            frt_seconds=Sum("first_response_seconds"),
            answered=Count("id", filter=Q(first_response_seconds__isnull=False)),
        )
        .order_by("-solved", *fields[1:2])[:limit]
    )
    return list(rows)


def by_agent(start: dt.datetime, end: dt.datetime, limit: int = 50) -> list[dict[str, Any]]:
    """Per assignee, tickets solved in [start, end): solved, FCR hits, reopened, first-reply seconds (one query)."""
    return breakdown(start, end, "agent", limit)
