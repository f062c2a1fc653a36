"""Shared pieces of the support services: codes, status history, the ticket lock, attachments."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.text import search_key
from haumai.support import conf
from haumai.support.channels.inbound import InboundAttachment
from haumai.support.models import Attachment, Message, Ticket, TicketStatusChange
from haumai.support.models.tickets import PRIORITY_RANK

TICKET_PREFIX = "TK"

# Other apps may raise the priority a new ticket starts with (a loyalty tier's priority service): a rule
# gets the customer and answers a priority or None. The highest answer wins; it never lowers a priority.
PriorityRule = Callable[[Any], str | None]
_priority_rules: list[PriorityRule] = []


def register_priority_rule(rule: PriorityRule) -> None:
    """Add a rule that may raise a new ticket's starting priority for its customer."""
    if rule not in _priority_rules:
        _priority_rules.append(rule)


def starting_priority(customer: Any, priority: str) -> str:
    """The priority a new ticket starts with: `priority`, raised by the registered rules for this customer."""
    if customer is None or getattr(customer, "pk", None) is None:
        return priority
    for rule in _priority_rules:
        raised = rule(customer)
        if raised in PRIORITY_RANK and PRIORITY_RANK[raised] > PRIORITY_RANK.get(priority, 0):
            priority = raised
    return priority


def refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """One field error as an exception."""
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def ticket_search_key(ticket: Ticket) -> str:
    """What the inbox search matches: code and subject, folded."""
    return search_key(f"{ticket.code} {ticket.subject}")[:255]


def lock_ticket(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock (inside a transaction): every change to a ticket goes through it."""
    try:
        return Ticket.objects.select_for_update().get(pk=ticket.pk)
    except Ticket.DoesNotExist as exc:
        raise NotFound(_("Ticket not found")) from exc


def write_status(ticket: Ticket, new_status: str, actor: Any, at: dt.datetime | None = None) -> None:
    """Set the status and append the history row the SLA clocks read (the caller saves the ticket)."""
    moment = at or clock.now()
    TicketStatusChange.objects.create(
        ticket=ticket,
        at=moment,
        old_status=ticket.status if ticket.pk else "",
        new_status=new_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ticket.status = new_status
    if new_status == "solved":
        ticket.solved_at = moment
    elif new_status == "closed":
        ticket.closed_at = moment


def touch(ticket: Ticket, fields: Sequence[str]) -> None:
    """Save the given fields, bump the version and the update time."""
    ticket.version += 1
    ticket.updated_at = clock.now()
    ticket.save(update_fields=[*dict.fromkeys([*fields, "version", "updated_at"])])


def store_attachments(message: Message, attachments: Sequence[InboundAttachment]) -> list[Attachment]:
    """Keep files under MEDIA_ROOT/support/ with random names; one over the limits keeps only its name and size."""
    limit = conf.max_attachment_bytes()
    budget = conf.max_attachments_bytes_per_message()
    rows = []
    for item in attachments:
        size = len(item.content)
        row = Attachment(
            message=message,
            filename=(item.filename or "attachment")[:255],
            content_type=(item.content_type or "application/octet-stream")[:100],
            size=size,
        )
        if size > limit or size > budget:
            row.refused_reason = "too_large"
        else:
            budget -= size
            suffix = row.filename.rsplit(".", 1)[-1][:10] if "." in row.filename else "bin"
            safe_suffix = "".join(ch for ch in suffix if ch.isalnum()) or "bin"
            row.file.save(f"{secrets.token_hex(12)}.{safe_suffix}", ContentFile(item.content), save=False)
        row.save()
        rows.append(row)
    return rows
