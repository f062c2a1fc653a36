"""API shapes of support (tickets, messages, calls, care scripts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from haumai.core import openapi as doc


class TicketOut(Schema):
    code: str
    subject: str
    status: str
    priority: str
    channel: str
    customer_code: str
    assignee: str | None
    team: str | None
    tags: list[str]
    created_at: dt.datetime
    last_message_at: dt.datetime
    first_response_at: dt.datetime | None
    first_response_seconds: int | None
    first_contact_resolution: bool | None
    first_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    sla_status: str
    negative_sentiment: bool
    reopen_count: int


class TicketPage(Schema):
    items: list[TicketOut]
    has_more: bool


class TicketIn(Schema):
    customer_code: str = Field(..., max_length=20)
    subject: str = Field(..., max_length=255)
    body: str = Field("", max_length=20_000, description="an internal note to start with")
    channel: str = Field("console", max_length=10)


class MessageOut(Schema):
    id: int
    direction: str
    visibility: str
    channel: str
    author: str | None
    sender_label: str
    subject: str
    body_text: str
    body_html: str
    negative_sentiment: bool
    delivery_state: str
    sent_at: dt.datetime
    attachments: list[dict[str, Any]]


class MessageIn(Schema):
    body: str = Field(..., max_length=20_000)
    visibility: str = Field("public", description="public (sent to the customer) or note (internal)")
    then_status: str = Field("", description="pending or solved after sending")


class TicketStatusIn(Schema):
    status: str = Field(..., description="open, pending, solved or closed")


class TicketAssignIn(Schema):
    assignee: str | None = Field(None, max_length=150, description="username; null unassigns")


class CallIn(Schema):
    phone: str = Field(..., max_length=30, json_schema_extra=doc.phone())
    direction: str = Field(..., description="in or out", json_schema_extra=doc.one_of(("in", "out")))
    outcome: str = Field(
        ...,
        description="answered, missed, voicemail, busy or failed",
        json_schema_extra=doc.one_of(("answered", "missed", "voicemail", "busy", "failed")),
    )
    started_at: dt.datetime | None = None
    duration_seconds: int = Field(0, ge=0, le=86_400)
    recording_url: str = Field("", max_length=500, pattern=r"^$|^https?://\S+$")
    note: str = Field("", max_length=5000)
    external_id: str = Field("", max_length=120, description="the call-centre's id: a replay stores nothing new")
    ticket_code: str = Field("", max_length=20)


class CallOut(Schema):
    id: int
    customer_code: str
    ticket_code: str | None
    direction: str
    outcome: str
    started_at: dt.datetime
    duration_seconds: int
    recording_url: str


class MacroOut(Schema):
    key: str
    name_vi: str
    name_en: str
    body_vi: str
    body_en: str
    set_status: str
    set_priority: str
    add_tags: list[str]
    built_in: bool


def ticket_out(ticket: Any) -> dict[str, Any]:
    """A ticket as the API shows it (tags prefetched by the caller)."""
    return {
        "code": ticket.code, "subject": ticket.subject, "status": ticket.status, "priority": ticket.priority,
        "channel": ticket.channel, "customer_code": ticket.customer.code,
        "assignee": ticket.assignee.get_username() if ticket.assignee else None,
        "team": ticket.team.code if ticket.team else None, "tags": [t.name for t in ticket.tags.all()],
        "created_at": ticket.created_at, "last_message_at": ticket.last_message_at,
        "first_response_at": ticket.first_response_at, "first_response_seconds": ticket.first_response_seconds,
        "first_contact_resolution": ticket.first_contact_resolution,
        "first_response_due_at": ticket.first_response_due_at, "resolution_due_at": ticket.resolution_due_at,
        "sla_status": ticket.sla_status, "negative_sentiment": ticket.negative_sentiment,
        "reopen_count": ticket.reopen_count,
    }  # fmt: skip


def message_out(message: Any) -> dict[str, Any]:
    """A message as the API shows it."""
    return {
        "id": message.pk, "direction": message.direction, "visibility": message.visibility,
        "channel": message.channel, "author": message.author.get_username() if message.author else None,
        "sender_label": message.sender_label, "subject": message.subject, "body_text": message.body_text,
        "body_html": message.body_html, "negative_sentiment": message.negative_sentiment,
        "delivery_state": message.delivery_state, "sent_at": message.sent_at,
        "attachments": [
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size,
             "kept": bool(a.file)}
            for a in message.attachments.all()
        ],
    }  # fmt: skip


def call_out(call: Any) -> dict[str, Any]:
    """A call log as the API shows it."""
    return {
        "id": call.pk, "customer_code": call.customer.code, "ticket_code": call.ticket.code if call.ticket else None,
        "direction": call.direction, "outcome": call.outcome, "started_at": call.started_at,
        "duration_seconds": call.duration_seconds, "recording_url": call.recording_url,
    }  # fmt: skip
