"""What a website-chat visitor may do: write (checked, rate-limited, stored once), leave an offline message,
read their own conversation after a message id, say they are typing, and become their portal self.

A visitor only ever reads the public messages (never internal notes) of the web-chat tickets of the
customer who holds their web identity; that identity is created by their first message, or attached when
they log in to the portal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core.errors import Conflict, DomainError, FieldError, ValidationFailed
from haumai.core.phone import try_normalize_phone
from haumai.customers import services as customer_services
from haumai.customers.models import Customer, Identity, IdentityKind
from haumai.support import live, live_bus
from haumai.support.channels import web_chat
from haumai.support.models import Direction, Message, Ticket, TicketStatus, Visibility
from haumai.support.services.ingest import ingest_inbound

PAGE = 50


class RateLimited(DomainError):
    """Too many messages from this visitor or network; try again in a minute."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="rate_limited", status=429)


def _refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def _clean_text(text: Any, *, field: str = "text") -> str:
    if not isinstance(text, str):
        raise _refuse(field, _("Write a message"), "required")
    cleaned = text.replace("\x00", "").strip()
    if not cleaned:
        raise _refuse(field, _("Write a message"), "required")
    if len(cleaned) > web_chat.MAX_TEXT:
        raise _refuse(field, _("At most %(count)s characters") % {"count": web_chat.MAX_TEXT}, "max_length")
    return cleaned


def _clean_line(value: Any, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(field, _("Enter text"), "invalid")
    cleaned = " ".join(value.replace("\x00", "").split())
    if len(cleaned) > limit:
        raise _refuse(field, _("At most %(count)s characters") % {"count": limit}, "max_length")
    return cleaned


def _check_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not web_chat.CLIENT_ID.match(client_id):
        raise _refuse("client_id", _("A message needs its client id (8-64 letters, digits, - or _)"), "invalid")
    return client_id


def _take_slots(visitor_id: str, address: str) -> None:
    if address and not live.take_slot(f"ip:{address}", live.posts_per_minute_per_address()):
        raise RateLimited(_("Too many messages from your network. Please wait a minute and try again."))
    if not live.take_slot(f"visitor:{visitor_id}", live.messages_per_minute()):
        raise RateLimited(_("You are sending messages too fast. Please wait a minute and try again."))


def _already_stored(visitor_id: str, client_id: str) -> Message | None:
    return Message.objects.filter(channel="web_chat", external_id=f"web:{visitor_id}:{client_id}").first()


def post_message(*, visitor_id: str, client_id: Any, text: Any, name: Any = "", address: str = "") -> Message:
    """Store one message typed in the widget (a retry with the same client id returns the stored one)."""
    client = _check_client_id(client_id)
    body = _clean_text(text)
    display = _clean_line(name, "name", web_chat.MAX_NAME)
    existing = _already_stored(visitor_id, client)
    if existing is not None:
        return existing
    _take_slots(visitor_id, address)
    stored = ingest_inbound(web_chat.visitor_message(visitor_id=visitor_id, client_id=client, text=body, name=display))
    assert stored is not None  # a message event always stores (or finds) a message
    live.set_typing(ticket_id=stored.ticket_id, side="visitor", typing=False)
    live_bus.publish(web_chat.topics_of(stored.ticket, visitor_id))
    return stored


def post_offline(
    *, visitor_id: str, client_id: Any, name: Any, phone: Any, email: Any, text: Any, address: str = ""
) -> Message:
    """The offline form: name, a phone or an e-mail to call back on, and the message."""
    client = _check_client_id(client_id)
    display = _clean_line(name, "name", web_chat.MAX_NAME)
    if not display:
        raise _refuse("name", _("Enter your name"), "required")
    raw_phone = _clean_line(phone, "phone", web_chat.MAX_CONTACT)
    raw_email = _clean_line(email, "email", web_chat.MAX_CONTACT).lower()
    if not raw_phone and not raw_email:
        raise _refuse("phone", _("Enter a phone number or an e-mail address so we can answer you"), "required")
    normalized = try_normalize_phone(raw_phone) if raw_phone else ""
    if raw_phone and not normalized:
        raise _refuse("phone", _("Enter a valid phone number"), "invalid")
    if raw_email:
        try:
            validate_email(raw_email)
        except ValidationError as error:
            raise _refuse("email", _("Enter a valid e-mail address"), "invalid") from error
    body = _clean_text(text)
    existing = _already_stored(visitor_id, client)
    if existing is not None:
        return existing
    _take_slots(visitor_id, address)
    stored = ingest_inbound(
        web_chat.offline_message(
            visitor_id=visitor_id, client_id=client, name=display, phone=normalized or "", email=raw_email,
            text=body, heading=_("Offline message from the website chat"),
        )
    )  # fmt: skip
    assert stored is not None
    live_bus.publish(web_chat.topics_of(stored.ticket, visitor_id))
    return stored


def visitor_customer(visitor_id: str) -> Customer | None:
    """The customer holding this visitor's web identity (merges followed), or None before the first message."""
    identity = Identity.objects.select_related("customer").filter(kind=IdentityKind.WEB, value=visitor_id).first()
    if identity is None:
        return None
    customer = identity.customer
    hops = 0
    while customer.merged_into_id is not None and hops < 10:
        customer = Customer.objects.get(pk=customer.merged_into_id)
        hops += 1
    return customer


def _chat_ticket_ids(customer: Customer) -> list[int]:
    return list(
        Ticket.objects.filter(customer=customer, channel="web_chat")
        .exclude(status=TicketStatus.MERGED)
        .order_by("-last_message_at", "-id")
        .values_list("id", flat=True)[:20]
    )


def conversation_after(*, customer: Customer | None, after: int) -> list[Message]:
    """The visitor's public chat messages after message id `after` (oldest first, at most 50); after=0: the
    latest 50."""
    if customer is None:
        return []
    ticket_ids = _chat_ticket_ids(customer)
    if not ticket_ids:
        return []
    # The author's username comes along (one join) so apps can label their replies (the bot) without a query.
    rows = (
        Message.objects.filter(ticket_id__in=ticket_ids, visibility=Visibility.PUBLIC)
        .select_related("author")
        .only(
            "id",
            "direction",
            "body_text",
            "sent_at",
            "sender_label",
            "author_id",
            "ticket_id",
            "channel",
            "external_id",
            "author__username",
        )
    )
    if after > 0:
        return list(rows.filter(id__gt=after).order_by("id")[:PAGE])
    return list(reversed(rows.order_by("-id")[:PAGE]))


def current_ticket_id(customer: Customer | None) -> int | None:
    """The web-chat ticket the visitor's next message lands on (their latest), if any."""
    if customer is None:
        return None
    ids = _chat_ticket_ids(customer)
    return ids[0] if ids else None


def author_name(message: Message) -> str:
    """How an outbound message is signed in the widget (the agent's name as stored on the reply)."""
    return message.sender_label if message.direction == Direction.OUTBOUND else ""


def _anonymous_contact(customer: Customer) -> bool:
    """A contact the chat created and nobody identified: no phone, no e-mail, only web identities."""
    if customer.phone or customer.email:
        return False
    return not customer.identities.exclude(kind=IdentityKind.WEB).exists()


def link_portal_customer(*, visitor_id: str, customer: Customer) -> str:
    """The visitor logged in to the portal: from now on they are that customer; returns the visitor id to use.

    A visitor nobody knew yet gets their web identity on the customer; an anonymous chat contact is merged
    into the customer (the conversation continues on their record, recorded as customer.merged). A visitor
    id that belongs to another identified customer (a shared computer) is not moved: a new visitor id is
    issued for the logged-in customer instead."""
    with transaction.atomic():
        current = visitor_customer(visitor_id)
        if current is not None and current.pk == customer.pk:
            return visitor_id
        if current is None:
            try:
                with transaction.atomic():
                    customer_services.add_identity(actor=None, customer=customer, kind=IdentityKind.WEB,
                                                   value=visitor_id)  # fmt: skip
            except Conflict:
                return link_portal_customer(visitor_id=web_chat.new_visitor_id(), customer=customer)
            return visitor_id
        if _anonymous_contact(current):
            customer_services.merge_customers(actor=None, source=current, target=customer)
            return visitor_id
    fresh = web_chat.new_visitor_id()
    customer_services.add_identity(actor=None, customer=customer, kind=IdentityKind.WEB, value=fresh)
    return fresh
