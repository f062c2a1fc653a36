"""Messages written by an automated assistant (the self-service bot) on a ticket.

Unlike `tickets.reply`, an automated reply is not an agent's answer: it does not count as the first
response, the FCR reply count or a state change, so the team's FRT/FCR figures stay about people. A
public one goes out on the ticket's channel like any reply (e-mail and Zalo through the messaging
queue, other channels through their registered sender, else it is kept and marked "not sent").
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.support.channels import outbound
from haumai.support.models import DeliveryState, Direction, Message, Ticket, TicketStatus, Visibility
from haumai.support.services.common import lock_ticket, refuse, touch

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
