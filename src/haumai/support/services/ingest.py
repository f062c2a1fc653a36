"""Ingestion: one inbound message from any channel -> customer, ticket, message; stored once.

`(channel, external_id)` is the idempotency key (a unique constraint): a replayed webhook, a re-polled
mailbox or two workers ingesting the same message at once store one message and at most one ticket. The
whole ingestion (new contact, new ticket, message) is one transaction, so a losing racer leaves nothing.

Threading: e-mail by Message-ID / In-Reply-To / References (every id we saw or sent is a ThreadKey of
its ticket); chat channels by the provider's conversation id, else the customer's open ticket on that
channel. A reply onto a solved ticket within `HAUMAI_SUPPORT_REOPEN_DAYS` reopens it; later, or onto a
closed ticket, it opens a new ticket that says which one it follows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.services import record_event
from haumai.support import conf
from haumai.support.channels.inbound import InboundMessage
from haumai.support.models import (
    ACTIVE_STATUSES,
    Direction,
    Message,
    Priority,
    ThreadKey,
    Ticket,
    TicketStatus,
    Visibility,
)
from haumai.support.sanitize import clean_html, html_to_text
from haumai.support.sentiment import is_negative
from haumai.support.services.assignment import route_new_ticket
from haumai.support.services.common import (
    TICKET_PREFIX,
    starting_priority,
    store_attachments,
    ticket_search_key,
    touch,
    write_status,
)
from haumai.support.services.identity import IdentityRace, resolve_sender
from haumai.support.services.listeners import announce_inbound
from haumai.support.services.sla_refresh import refresh_sla

CHANNELS = ("email", "zalo", "facebook", "web_chat", "phone")
MAX_EXTERNAL_ID = 255
ATTEMPTS = 4
RAISED_PRIORITY = {Priority.LOW: Priority.NORMAL, Priority.NORMAL: Priority.HIGH}


def external_key(message: InboundMessage) -> str:
    """The stored dedup key: the provider's id, hashed when longer than the column."""
    raw = message.external_id.strip()
    if len(raw) <= MAX_EXTERNAL_ID:
        return raw
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


def _check(message: InboundMessage) -> None:
    if message.channel not in CHANNELS:
        raise ValidationFailed(_("Unknown channel"))
    if not message.external_id.strip():
        raise ValidationFailed(_("A message needs the provider's message id"))
    if not message.sender_value.strip():
        raise ValidationFailed(_("A message needs its sender"))


def ingest_inbound(message: InboundMessage) -> Message | None:
    """Store one inbound message on its customer's ticket (once); returns the Message.

    Non-message events (follow, unfollow, typing, read) store no message: follow/unfollow are recorded on
    the customer and None is returned; typing and read receipts are ignored (None).
    """
    _check(message)
    if message.event != "message":
        _channel_event(message)
        return None
    key = external_key(message)
    for _attempt in range(ATTEMPTS):
        existing = Message.objects.filter(channel=message.channel, external_id=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                stored = _store(message, key)
                transaction.on_commit(functools.partial(announce_inbound, stored))
                return stored
        except (IntegrityError, IdentityRace, Conflict):
            # Another worker stored this message, or created this sender, meanwhile: look again.
            continue
    existing = Message.objects.filter(channel=message.channel, external_id=key).first()
    if existing is None:
        raise Conflict(_("The message could not be stored; try again"), code="ingest_conflict")
    return existing


def _channel_event(message: InboundMessage) -> None:
    if message.event not in ("follow", "unfollow"):
        return
    with transaction.atomic():
        customer, _created = resolve_sender(message)
        record_event(
            name="support.contact_followed" if message.event == "follow" else "support.contact_unfollowed",
            customer=customer,
            subject=customer,
            actor_label=f"support:{message.channel}",
            payload={"code": customer.code, "channel": message.channel},
        )


def _thread_target(message: InboundMessage, customer: Any) -> Ticket | None:
    """The ticket this message continues, before the reopen rule."""
    keys = [k.strip() for k in message.thread_keys if k.strip()]
    if keys:
        found = (
            ThreadKey.objects.filter(channel=message.channel, key__in=keys)
            .select_related("ticket")
            .order_by("-ticket__last_message_at")
            .first()
        )
        if found is not None:
            return _follow_merges(found.ticket)
    if message.channel == "email":
        return None  # a mail that answers nothing we know is a new topic
    return (
        Ticket.objects.filter(customer=customer, channel=message.channel)
        .exclude(status=TicketStatus.MERGED)
        .order_by("-last_message_at", "-id")
        .first()
    )


def _follow_merges(ticket: Ticket) -> Ticket:
    hops = 0
    while ticket.merged_into_id is not None and hops < 10:
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
        hops += 1
    return ticket


def _reopens(ticket: Ticket, at: dt.datetime) -> bool | None:
    """True: reopen this ticket; False: a new ticket follows it; None: it is still active."""
    if ticket.status in ACTIVE_STATUSES:
        return None
    if ticket.status == TicketStatus.SOLVED and ticket.solved_at is not None:
        return at - ticket.solved_at <= dt.timedelta(days=conf.reopen_days())
    return False


def _store(message: InboundMessage, key: str) -> Message:
    now = clock.now()
    sent_at = message.sent_at if message.sent_at and message.sent_at <= now else now
    customer, new_contact = resolve_sender(message)
    html = clean_html(message.html)
    text = message.text.strip() or html_to_text(html)
    negative = is_negative(f"{message.subject} {text}")
    ticket = _thread_target(message, customer)
    follows = ""
    reopened = False
    if ticket is not None:
        # Decide on the row as it is under the lock: a ticket solved meanwhile (an agent, the bot's automatic
        # solve) must be reopened by this reply, not continued as if it were still open.
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        decision = _reopens(ticket, now)
        if decision is False:
            follows, ticket = ticket.code, None
        else:
            reopened = bool(decision)
    created = ticket is None
    if ticket is None:
        ticket = _new_ticket(message, customer, text, now, negative=negative)
    stored = Message.objects.create(
        ticket=ticket,
        direction=Direction.INBOUND,
        visibility=Visibility.PUBLIC,
        channel=message.channel,
        external_id=key,
        sender_label=(message.sender_name or message.sender_value)[:160],
        subject=message.subject[:255],
        body_text=text,
        body_html=html,
        negative_sentiment=negative,
        sent_at=sent_at,
        created_at=now,
    )
    if message.attachments:
        store_attachments(stored, message.attachments)
    _thread_keys(ticket, message, key, takes_over=created)
    if created:
        record_event(
            name="ticket.created",
            customer=customer,
            subject=ticket,
            actor_label=f"support:{message.channel}",
            payload={"code": ticket.code, "channel": message.channel, "new_contact": new_contact, "follows": follows},
        )
        route_new_ticket(ticket)  # same transaction: the team's rule row is locked while the agent is chosen
    else:
        _continue(ticket, stored, reopened=reopened, negative=negative, now=now)
    return stored


def _new_ticket(message: InboundMessage, customer: Any, text: str, now: dt.datetime, *, negative: bool) -> Ticket:
    subject = " ".join((message.subject or text[:80]).split())[:255]
    ticket = Ticket(
        code=next_code(TICKET_PREFIX),
        subject=subject,
        channel=message.channel,
        customer=customer,
        priority=starting_priority(customer, Priority.HIGH if negative else Priority.NORMAL),
        negative_sentiment=negative,
        created_at=now,
        updated_at=now,
        last_message_at=now,
        last_customer_message_at=now,
    )
    ticket.search_key = ticket_search_key(ticket)
    ticket.save()
    write_status(ticket, TicketStatus.NEW, None, at=now)
    refresh_sla(ticket)
    return ticket


def _continue(ticket: Ticket, stored: Message, *, reopened: bool, negative: bool, now: dt.datetime) -> None:
    fields = ["last_message_at", "last_customer_message_at"]
    ticket.last_message_at = now
    ticket.last_customer_message_at = now
    if reopened:
        write_status(ticket, TicketStatus.OPEN, None, at=now)
        ticket.reopen_count += 1
        ticket.first_contact_resolution = False
        fields += ["status", "reopen_count", "first_contact_resolution"]
        record_event(
            name="ticket.reopened",
            customer=ticket.customer_id and ticket.customer,
            subject=ticket,
            actor_label=f"support:{stored.channel}",
            payload={"code": ticket.code, "reason": "customer_reply"},
        )
    elif ticket.status == TicketStatus.PENDING:
        write_status(ticket, TicketStatus.OPEN, None, at=now)  # the customer answered: the clock runs again
        fields.append("status")
    if negative:
        ticket.negative_sentiment = True
        raised = RAISED_PRIORITY.get(ticket.priority)  # type: ignore[call-overload]
        if raised:
            ticket.priority = raised
        fields += ["negative_sentiment", "priority"]
    touch(ticket, fields)
    refresh_sla(ticket)
    record_event(
        name="ticket.message_received",
        customer=ticket.customer,
        subject=ticket,
        actor_label=f"support:{stored.channel}",
        payload={"code": ticket.code, "channel": stored.channel, "negative": negative},
    )


def _thread_keys(ticket: Ticket, message: InboundMessage, key: str, *, takes_over: bool) -> None:
    """Remember the ids that later messages may point at (this message's id and its conversation ids).

    A new ticket takes the conversation's keys over from the closed ticket it follows."""
    keys = {key, *(k.strip()[:255] for k in message.thread_keys if k.strip())}
    if takes_over:
        ThreadKey.objects.filter(channel=message.channel, key__in=keys).update(ticket=ticket)
    ThreadKey.objects.bulk_create(
        [ThreadKey(channel=message.channel, key=k, ticket=ticket) for k in keys], ignore_conflicts=True
    )
