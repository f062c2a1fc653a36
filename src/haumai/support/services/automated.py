"""Messages written by an automated assistant (the self-service bot) on a ticket, and its solving a ticket.

Unlike `tickets.reply`, an automated reply is not an agent's answer: it does not count as the first
response, the FCR reply count or a state change, so the team's FRT/FCR figures stay about people. A
public one goes out on the ticket's channel like any reply (e-mail and Zalo through the messaging
queue, other channels through their registered sender, else it is kept and marked "not sent").
`solve_answered_ticket` solves a ticket the assistant answered in full (never one a person took or the
customer wrote on since); the customer's next message reopens it by the usual rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction

from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.support.channels import outbound
from haumai.support.models import DeliveryState, Direction, Message, Ticket, TicketStatus, Visibility
from haumai.support.services.common import lock_ticket, refuse, touch, write_status
from haumai.support.services.sla_refresh import refresh_sla

MAX_BODY = 20_000


def post_automated_message(
    *, ticket: Ticket, body: str, author: Any, sender_label: str, visibility: str = Visibility.PUBLIC
) -> Message:
    """Store (and for a public one, send) a message written by an automated assistant on an open ticket."""
    text = (body or "").strip()
    if not text:
        raise refuse("body", "Write a message", "required")
    if visibility not in Visibility.values:
        raise refuse("visibility", "Choose a reply or a note", "invalid_choice")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        if locked.status in (TicketStatus.CLOSED, TicketStatus.MERGED):
            raise Conflict("The ticket is closed", code="ticket_closed")
        now = clock.now()
        public = visibility == Visibility.PUBLIC
        if public:
            outbound.check_can_send(locked)
        message = Message.objects.create(
            ticket=locked,
            direction=Direction.OUTBOUND,
            visibility=visibility,
            channel=locked.channel,
            external_id=outbound.new_message_id() if public and locked.channel == "email" else None,
            author=author,
            sender_label=sender_label[:160],
            body_text=text[:MAX_BODY],
            delivery_state=DeliveryState.NOT_SENT if public else DeliveryState.RECEIVED,
            sent_at=now,
            created_at=now,
        )
        fields: list[str] = []
        if public:
            state, delivery_id = outbound.send_reply(ticket=locked, message=message, actor=None, earlier_ids=[])
            message.delivery_state, message.delivery_id = state, delivery_id
            message.save(update_fields=["delivery_state", "delivery_id"])
            locked.last_message_at = now
            fields.append("last_message_at")
        touch(locked, fields)
    return message


SOLVED, BUSY, DECLINED = "solved", "busy", "declined"


def solve_answered_ticket(*, ticket_id: int, answered_message_at: dt.datetime, actor_label: str) -> str:
    """Solve a ticket an automated assistant answered: "solved", "declined" (a person took it, the customer wrote
    after `answered_message_at`, it is not new/open) or "busy" (someone holds the ticket now: try again later).

    Never waits for the ticket's row lock, so a caller holding its own rows' locks cannot deadlock with an
    ingestion or an assistant's turn that locks the ticket first."""
    with transaction.atomic():
        rows = Ticket.objects.filter(pk=ticket_id)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        locked = rows.first()
        if locked is None:
            return BUSY if Ticket.objects.filter(pk=ticket_id).exists() else DECLINED
        last_wrote = locked.last_customer_message_at
        wrote_since = last_wrote is not None and last_wrote > answered_message_at
        taken = locked.assignee_id is not None or locked.first_response_at is not None
        if wrote_since or taken or locked.status not in (TicketStatus.NEW, TicketStatus.OPEN):
            return DECLINED
        old = locked.status
        write_status(locked, TicketStatus.SOLVED, None)
        locked.first_contact_resolution = False  # no agent's reply: not the team's first-contact resolution
        record_event(name="ticket.solved", customer=locked.customer, subject=locked, actor_label=actor_label,
                     payload={"code": locked.code, "from": old, "to": TicketStatus.SOLVED, "by": actor_label})
        touch(locked, ["status", "solved_at", "closed_at", "first_contact_resolution"])
        refresh_sla(locked)
    return SOLVED
