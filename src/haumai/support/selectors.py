"""Reads of support: the inbox queues with filters and search, the ticket page, presence, approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Least

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.core.paging import capped_count
from haumai.core.phone import try_normalize_phone
from haumai.core.text import search_key
from haumai.events.selectors import event_list
from haumai.support import conf
from haumai.support.models import (
    ACTIVE_STATUSES,
    Attachment,
    CallLog,
    GoodwillRequest,
    GoodwillStatus,
    Macro,
    Message,
    Presence,
    Tag,
    Ticket,
    TicketStatus,
)

QUEUES = ("mine", "team", "unassigned", "breaching", "all")


@dataclass(frozen=True)
class InboxFilters:
    """What the agent narrowed the inbox to (every field optional)."""

    queue: str = "mine"
    status: str = ""
    channel: str = ""
    priority: str = ""
    tag: str = ""
    q: str = ""


def _queue(queryset: QuerySet[Ticket], user: Any, queue: str) -> QuerySet[Ticket]:
    active = queryset.filter(status__in=ACTIVE_STATUSES)
    if queue == "mine":
        return active.filter(assignee=user)
    if queue == "team":
        return active.filter(team_id=user.team_id) if user.team_id else active.none()
    if queue == "unassigned":
        return active.filter(assignee__isnull=True)
    if queue == "breaching":
        # Ordered by the nearest SLA deadline; empty until SLA policies fill the due fields.
        return active.filter(sla_status__in=("warning", "breached"))
    return queryset


def _search(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    text = text.strip()[:100]
    if not text:
        return queryset
    upper = text.upper()
    if upper.startswith("TK-"):
        return queryset.filter(code=upper)
    phone = try_normalize_phone(text) if sum(ch.isdigit() for ch in text) >= 9 else None
    if phone:
        return queryset.filter(
            Q(customer__phone=phone) | Q(customer__identities__kind="phone", customer__identities__value=phone)
        ).distinct()
    key = search_key(text)
    condition = Q(search_key__contains=key) | Q(customer__search_key__contains=key)
    if "@" in text:
        condition |= Q(customer__email__iexact=text)
    return queryset.filter(condition)


def inbox(user: Any, filters: InboxFilters) -> QuerySet[Ticket]:
    """The tickets of one queue, filtered and searched; newest activity first (breaching: nearest deadline)."""
    queryset = Ticket.objects.select_related("customer", "assignee", "team").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )
    queryset = _queue(queryset, user, filters.queue if filters.queue in QUEUES else "mine")
    if filters.status in TicketStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    if filters.tag:
        queryset = queryset.filter(tags__key=search_key(filters.tag))
    queryset = _search(queryset, filters.q)
    if filters.queue == "breaching":
        far = clock.now() + dt.timedelta(days=3650)
        return queryset.annotate(
            nearest_due=Least(
                Coalesce("first_response_due_at", far), Coalesce("next_response_due_at", far),
                Coalesce("resolution_due_at", far),
            )
        ).order_by("nearest_due", "id")  # fmt: skip
    return queryset.order_by("-last_message_at", "-id")


def queue_counts(user: Any) -> dict[str, int]:
    """Waiting tickets per queue (capped counts, one cheap query each)."""
    base = Ticket.objects.all()
    return {queue: capped_count(_queue(base, user, queue)) for queue in QUEUES if queue != "all"}


def ticket_by_code(code: str) -> Ticket:
    """One ticket with what its page shows, in a fixed number of queries."""
    ticket = (
        Ticket.objects.select_related(
            "customer", "assignee", "team", "order", "return_request", "warranty__unit", "merged_into"
        )
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .filter(code=code.strip().upper()[:20])
        .first()
    )
    if ticket is None:
        raise NotFound("Ticket not found")
    return ticket


def conversation(ticket: Ticket) -> list[Message]:
    """The ticket's messages oldest first, with authors and attachments."""
    return list(
        Message.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("sent_at", "id")
    )


def conversation_after(ticket: Ticket, after: int, *, limit: int = 50) -> list[Message]:
    """The ticket's messages with an id above `after`, oldest first (the ticket page's live rows)."""
    return list(
        Message.objects.filter(ticket=ticket, id__gt=after)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("id")[:limit]
    )


def ticket_version(ticket_id: int) -> int:
    """The ticket's current version (a live page compares it with the one it was rendered at)."""
    return Ticket.objects.filter(pk=ticket_id).values_list("version", flat=True).first() or 0


def others_viewing(ticket: Ticket, user: Any) -> list[Presence]:
    """Other staff who have this ticket open now (seen within the presence window)."""
    since = clock.now() - dt.timedelta(seconds=conf.presence_seconds())
    return list(
        Presence.objects.filter(ticket=ticket, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user_id")
    )


def customer_tickets(customer: Any, *, limit: int = 10) -> list[Ticket]:
    """A customer's tickets, active first then newest (customer 360)."""
    return list(
        Ticket.objects.filter(customer=customer)
        .exclude(status=TicketStatus.MERGED)
        .order_by("solved_at", "-last_message_at")[:limit]
    )


def active_macros() -> list[Macro]:
    """Care scripts an agent may apply."""
    return list(Macro.objects.filter(active=True).order_by("-built_in", "key"))


def pending_goodwill() -> QuerySet[GoodwillRequest]:
    """Goodwill requests waiting for a manager, oldest first."""
    return (
        GoodwillRequest.objects.filter(status=GoodwillStatus.PENDING)
        .select_related("ticket__customer", "requested_by")
        .order_by("requested_at", "id")
    )


def ticket_calls(ticket: Ticket) -> list[CallLog]:
    """Calls logged on a ticket, newest first."""
    return list(CallLog.objects.filter(ticket=ticket).select_related("agent").order_by("-started_at")[:20])


def ticket_linked_from(subject: Any) -> str:
    """The code of the ticket a return, claim or repair was opened from ('' when none); one indexed query."""
    payload = (
        event_list(subject_type=subject._meta.label_lower, subject_id=str(subject.pk), name="ticket.linked")
        .values_list("payload", flat=True)
        .first()
    )
    return str((payload or {}).get("code", ""))
