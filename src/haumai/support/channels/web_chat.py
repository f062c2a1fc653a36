"""Website chat widget channel (`web_chat`): visitor tokens, the visitor's messages in and out.

A visitor is identified by a random id carried in a signed token (`HAUMAI-visitor` in the widget's
localStorage, sent as the `X-Haumai-Visitor` header); nothing is stored until they write. Their first
message becomes `InboundMessage(channel="web_chat", sender_kind="web_visitor", sender_value=<id>)`, and
the support ingestion resolves (or creates) the contact holding that web identity. The widget's client
message id is part of the external id, so a retried post stores one message.

Outbound: the registered sender marks an agent's (or the bot's) public reply "sent": the widget reads
replies from the database (`messages after id N`), so a committed reply is in the visitor's stream.
Other apps say how a reply is labelled (`register_author_kind`, e.g. the bot) and which quick-reply
buttons it carries (`register_quick_replies`); the widget shows both.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core import signing

from haumai.core import clock
from haumai.support import live_bus
from haumai.support.channels.inbound import InboundMessage

SIGNING_SALT = "haumai.support.web_chat.visitor"
TOKEN_MAX_AGE_SECONDS = 365 * 24 * 3600
# The stream URL carries a ticket of its own (a salt of its own, a minute of life), never the visitor token:
# a URL ends up in access logs and proxies, and a year-long secret must not.
STREAM_TICKET_SALT = "haumai.support.web_chat.stream"
STREAM_TICKET_MAX_AGE_SECONDS = 60
MAX_TEXT = 2000
MAX_NAME = 120
MAX_CONTACT = 160
MAX_QUICK_REPLIES = 6
VISITOR_ID = re.compile(r"^v_[A-Za-z0-9_-]{16,40}$")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

AuthorKind = Callable[[Any], str | None]
QuickReplies = Callable[[Any], list[str]]
_author_kinds: list[AuthorKind] = []
_quick_replies: list[QuickReplies] = []


def new_visitor_id() -> str:
    """A fresh random visitor id (not guessable; the token signs it)."""
    return "v_" + secrets.token_urlsafe(18)


def visitor_token(visitor_id: str) -> str:
    """The signed token the widget keeps for this visitor."""
    return signing.dumps({"v": visitor_id}, salt=SIGNING_SALT, compress=False)


def read_visitor_token(token: str) -> str | None:
    """The visitor id of a valid token, else None (forged, altered, too old or malformed)."""
    if not token or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    visitor = data.get("v") if isinstance(data, dict) else None
    return visitor if isinstance(visitor, str) and VISITOR_ID.match(visitor) else None


def stream_ticket(visitor_id: str) -> str:
    """A signed ticket that opens this visitor's event stream for the next minute (nothing else accepts it)."""
    return signing.dumps({"v": visitor_id, "use": "stream"}, salt=STREAM_TICKET_SALT, compress=False)


def read_stream_ticket(ticket: str) -> str | None:
    """The visitor id of a valid stream ticket, else None (forged, of another use, expired or malformed)."""
    if not ticket or len(ticket) > 300:
        return None
    try:
        data = signing.loads(ticket, salt=STREAM_TICKET_SALT, max_age=STREAM_TICKET_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("use") != "stream":
        return None
    visitor = data.get("v")
    return visitor if isinstance(visitor, str) and VISITOR_ID.match(visitor) else None


def thread_key(visitor_id: str) -> str:
    """The conversation key of one visitor (their messages thread onto their open web-chat ticket)."""
    return f"web_chat:{visitor_id}"


def visitor_message(*, visitor_id: str, client_id: str, text: str, name: str = "") -> InboundMessage:
    """A chat message typed in the widget, as the support ingestion takes it."""
    return InboundMessage(
        channel="web_chat",
        external_id=f"web:{visitor_id}:{client_id}",
        sender_kind="web_visitor",
        sender_value=visitor_id,
        sender_name=name,
        sent_at=clock.now(),
        text=text,
        thread_keys=(thread_key(visitor_id),),
    )


def offline_message(
    *, visitor_id: str, client_id: str, name: str, phone: str, email: str, text: str, heading: str
) -> InboundMessage:
    """The offline form (nobody on shift): the contact details go in the message for the agent to call back.

    They are not attached to the visitor as identities: typing someone's phone number must not show that
    person's conversations in the widget."""
    lines = [heading, *(line for line in (name, phone, email) if line), "", text]
    return InboundMessage(
        channel="web_chat",
        external_id=f"web:{visitor_id}:{client_id}",
        sender_kind="web_visitor",
        sender_value=visitor_id,
        sender_name=name,
        sent_at=clock.now(),
        subject=f"{heading}: {name}"[:255],
        text="\n".join(lines),
        thread_keys=(thread_key(visitor_id),),
    )


def register_author_kind(kind: AuthorKind) -> None:
    """Let an app label its replies in the widget: kind(message) -> "bot", "agent"... or None (no opinion)."""
    if kind not in _author_kinds:
        _author_kinds.append(kind)


def register_quick_replies(source: QuickReplies) -> None:
    """Let an app attach quick-reply buttons to its replies: source(message) -> button labels."""
    if source not in _quick_replies:
        _quick_replies.append(source)


def author_kind(message: Any) -> str:
    """ "visitor" for the customer's messages, else what a registered app says (default "agent")."""
    if message.direction == "in":
        return "visitor"
    for kind in _author_kinds:
        said = kind(message)
        if said:
            return said
    return "agent"


def quick_replies(message: Any) -> list[str]:
    """The buttons to show under an outbound message (at most six, each at most 40 characters)."""
    if message.direction == "in":
        return []
    labels: list[str] = []
    for source in _quick_replies:
        labels.extend(label.strip()[:40] for label in source(message) if label and label.strip())
    return labels[:MAX_QUICK_REPLIES]


def serialize(message: Any, *, author_name: str) -> dict[str, Any]:
    """One message as the widget shows it."""
    return {
        "id": message.pk,
        "direction": message.direction,
        "author": author_kind(message),
        "author_name": author_name,
        "text": message.body_text,
        "sent_at": message.sent_at.isoformat(),
        "quick_replies": quick_replies(message),
        "client_id": client_id(message),
    }


def client_id(message: Any) -> str:
    """The widget's own id of a visitor's message (it matches a pushed message to the bubble it shows)."""
    external = getattr(message, "external_id", None) or ""
    return external.rpartition(":")[2] if message.direction == "in" and external.startswith("web:") else ""


def send(ticket: Any, message: Any) -> str:
    """The outbound sender: the widget reads replies from the database, so once the reply's transaction
    commits it is in the visitor's conversation: "sent". The commit wakes the visitor's open stream (and
    the ticket's other open pages); a widget without a stream sees it on its next poll, a second later."""
    live_bus.publish(topics_of(ticket))
    return "sent"


def topics_of(ticket: Any, visitor_id: str = "") -> list[str]:
    """The live topics a change on this web-chat ticket concerns: its page, its customer's widget(s)."""
    return [f"ticket:{ticket.pk}", f"customer:{ticket.customer_id}", f"visitor:{visitor_id}" if visitor_id else ""]
