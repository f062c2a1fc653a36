"""Sending a public reply back on the ticket's channel.

E-mail and Zalo OA go through the messaging app's queue (its worker sends, retries and records the
provider's answer). Other channels plug in with `register_sender(channel, send)`; a channel without a
sender keeps the reply marked "not sent" so nobody believes the customer got it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.core.mail.utils import DNS_NAME

from haumai.messaging import selectors as messaging_selectors
from haumai.messaging import services as messaging_services
from haumai.support import conf

# send(ticket, message) -> delivery state ("queued", "sent" or "not_sent")
Sender = Callable[[Any, Any], str]
# guard(ticket) raises a DomainError when the channel would refuse a public reply now
Guard = Callable[[Any], None]
_senders: dict[str, Sender] = {}
_guards: dict[str, Guard] = {}
REFERENCES_KEPT = 10


def register_sender(channel: str, send: Sender) -> None:
    """Let a channel adapter (Facebook, web chat ...) deliver public replies."""
    _senders[channel] = send


def register_guard(channel: str, guard: Guard) -> None:
    """Let a channel refuse a reply before it is stored (Messenger's 24-hour window)."""
    _guards[channel] = guard


def check_can_send(ticket: Any) -> None:
    """Raise the channel's refusal of a public reply on this ticket now, if it has one."""
    guard = _guards.get(ticket.channel)
    if guard is not None:
        guard(ticket)


def new_message_id() -> str:
    """A fresh e-mail Message-ID without the angle brackets (as stored)."""
    domain = conf.support_email_address().rpartition("@")[2] or str(DNS_NAME)
    return f"haumai.{secrets.token_hex(12)}@{domain}"


def email_headers(message_id: str, earlier_ids: list[str]) -> dict[str, str]:
    """Message-ID, In-Reply-To (the newest earlier id) and References (the thread, oldest first)."""
    headers = {"Message-ID": f"<{message_id}>"}
    if earlier_ids:
        headers["In-Reply-To"] = f"<{earlier_ids[-1]}>"
        headers["References"] = " ".join(f"<{i}>" for i in earlier_ids[-REFERENCES_KEPT:])
    return headers


def send_reply(*, ticket: Any, message: Any, actor: Any, earlier_ids: list[str]) -> tuple[str, int | None]:
    """Queue the reply on the ticket's channel: (delivery state, messaging Delivery id or None)."""
    channel = ticket.channel
    if channel in ("email", "zalo"):
        destination = messaging_selectors.destination_for(ticket.customer, channel)
        if not destination:
            return "not_sent", None
        headers = email_headers(message.external_id, earlier_ids) if channel == "email" else {}
        subject = f"Re: {ticket.subject} [{ticket.code}]" if channel == "email" else ""
        delivery = messaging_services.queue_direct_message(
            customer=ticket.customer,
            channel=channel,
            destination=destination,
            subject=subject,
            body_text=message.body_text,
            headers=headers,
            idempotency_key=f"support:message:{message.pk}",
            source=f"support:{ticket.code}",
            actor=actor,
        )
        return "queued", delivery.pk
    sender = _senders.get(channel)
    if sender is None:
        return "not_sent", None
    return sender(ticket, message), None
