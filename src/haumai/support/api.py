"""REST API v1 of support: tickets, messages, call logs, care scripts.

Errors use the API's one format `{"error": {"code", "message", "fields": [...]}}`: 401 without a valid
token, 403 without the permission, 404 for an unknown ticket or customer, 409 for a state conflict (a
reply to a closed ticket, a transition that is not allowed is 422), 422 for invalid fields.
Ticket events (ticket.created, ticket.replied, ticket.solved ...) reach outbound webhooks through the
event table like every other event (messaging WebhookSubscription patterns such as `ticket.*`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.errors import NotFound
from haumai.core.permissions import require
from haumai.customers.models import Customer
from haumai.privacy import audit
from haumai.support import selectors
from haumai.support.schemas import (
    CallIn,
    CallOut,
    MacroOut,
    MessageIn,
    MessageOut,
    TicketAssignIn,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketStatusIn,
    call_out,
    message_out,
    ticket_out,
)
from haumai.support.services import calls, tickets
from haumai.support.services.common import refuse

router = Router(tags=["support"])
# HaumaiAPI documents every error answer with the one ErrorOut (haumai.api); routes add nothing.
ERRORS: dict[int, Any] = {}


class TicketFilters(Schema):
    queue: str = Field(
        "all", description="mine, team, unassigned, breaching or all", json_schema_extra=doc.one_of(selectors.QUEUES)
    )
    status: str = Field("", max_length=10)
    channel: str = Field("", max_length=10)
    priority: str = Field("", max_length=10)
    tag: str = Field("", max_length=40)
    q: str = Field("", max_length=100, description="code, subject, customer name or phone (diacritics ignored)")
    customer: str = Field("", max_length=20, description="customer code")
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _ticket(code: str) -> Any:
    try:
        return selectors.ticket_by_code(code)
    except NotFound as exc:
        raise NotFound(_("Ticket not found")) from exc


@router.get("/tickets", response={200: TicketPage, **ERRORS}, summary="List tickets by queue, filters and search")
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> dict[str, Any]:
    user = require(request, "support.view_ticket")
    if filters.queue not in selectors.QUEUES:
        raise refuse("queue", _("One of: %(allowed)s") % {"allowed": ", ".join(selectors.QUEUES)}, "invalid_choice")
    rows = selectors.inbox(
        user,
        selectors.InboxFilters(
            queue=filters.queue, status=filters.status, channel=filters.channel, priority=filters.priority,
            tag=filters.tag, q=filters.q,
        ),
    )  # fmt: skip
    if filters.customer:
        rows = rows.filter(customer__code=filters.customer.upper())
    page = list(rows[filters.offset : filters.offset + filters.limit + 1])
    return {"items": [ticket_out(t) for t in page[: filters.limit]], "has_more": len(page) > filters.limit}


@router.post("/tickets", response={201: TicketOut, **ERRORS}, summary="Open a ticket for a customer")
def create_ticket(request: HttpRequest, payload: TicketIn) -> HttpStatus:
    user = require(request, "support.reply_ticket")
    customer = Customer.objects.filter(code=payload.customer_code.upper(), merged_into__isnull=True).first()
    if customer is None:
        raise NotFound(_("Customer not found"))
    ticket = tickets.open_ticket(
        actor=user, customer=customer, subject=payload.subject, body=payload.body, channel=payload.channel
    )
    return HttpStatus(201, ticket_out(selectors.ticket_by_code(ticket.code)))


@router.get("/tickets/{code}", response={200: TicketOut, **ERRORS}, summary="One ticket")
def get_ticket(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "support.view_ticket")
    return ticket_out(_ticket(code))


@router.get("/tickets/{code}/messages", response={200: list[MessageOut], **ERRORS}, summary="The conversation")
def list_messages(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    require(request, "support.view_ticket")
    ticket = _ticket(code)
    audit.contact_shown(request, customer=ticket.customer, target=ticket.code, page="api")
    return [message_out(m) for m in selectors.conversation(ticket)]


@router.post(
    "/tickets/{code}/messages", response={201: MessageOut, **ERRORS}, summary="Reply to the customer or add a note"
)
def post_message(request: HttpRequest, code: str, payload: MessageIn) -> HttpStatus:
    user = require(request, "support.reply_ticket")
    message = tickets.reply(
        actor=user, ticket=_ticket(code), body=payload.body, visibility=payload.visibility,
        then_status=payload.then_status,
    )  # fmt: skip
    stored = next(m for m in selectors.conversation(message.ticket) if m.pk == message.pk)
    return HttpStatus(201, message_out(stored))


@router.post("/tickets/{code}/status", response={200: TicketOut, **ERRORS}, summary="Move the ticket to a state")
def set_status(request: HttpRequest, code: str, payload: TicketStatusIn) -> dict[str, Any]:
    user = require(request, "support.reply_ticket")
    ticket = tickets.change_status(actor=user, ticket=_ticket(code), status=payload.status)
    return ticket_out(selectors.ticket_by_code(ticket.code))


@router.post("/tickets/{code}/assignee", response={200: TicketOut, **ERRORS}, summary="Assign or unassign")
def set_assignee(request: HttpRequest, code: str, payload: TicketAssignIn) -> dict[str, Any]:
    user = require(request, "support.assign_ticket")
    assignee = None
    if payload.assignee:
        assignee = get_user_model().objects.filter(username=payload.assignee, is_active=True).first()
        if assignee is None:
            raise refuse("assignee", _("Unknown user"), "unknown_user")
    ticket = tickets.assign(actor=user, ticket=_ticket(code), assignee=assignee)
    return ticket_out(selectors.ticket_by_code(ticket.code))


@router.post(
    "/calls", response={200: CallOut, 201: CallOut, **ERRORS}, summary="Log a phone call (idempotent by external_id)"
)
def post_call(request: HttpRequest, payload: CallIn) -> HttpStatus:
    user = require(request, "support.add_calllog")
    ticket = _ticket(payload.ticket_code) if payload.ticket_code else None
    call, created = calls.log_call(
        actor=user, phone=payload.phone, direction=payload.direction, outcome=payload.outcome,
        started_at=payload.started_at, duration_seconds=payload.duration_seconds,
        recording_url=payload.recording_url, note=payload.note, external_id=payload.external_id, ticket=ticket,
    )  # fmt: skip
    return HttpStatus(201 if created else 200, call_out(call))


@router.get("/macros", response={200: list[MacroOut], **ERRORS}, summary="Care scripts")
def list_macros(request: HttpRequest) -> list[Any]:
    require(request, "support.view_macro")
    return selectors.active_macros()
