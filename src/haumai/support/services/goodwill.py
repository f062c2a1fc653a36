"""Goodwill: a concession an agent grants on the spot within their role's approval limit
(accounts.ApprovalLimit); above it, a request a manager approves or refuses, with the outcome on the ticket.

Kinds are those the product can stand behind today: a refund, a free repair, free shipping. They are
recorded decisions (the refund itself is paid through the return's refund flow); vouchers and store
credit wait for the loyalty app and are not offered.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, Forbidden
from haumai.events.services import record_event
from haumai.support.models import (
    Direction,
    GoodwillKind,
    GoodwillRequest,
    GoodwillStatus,
    Message,
    Ticket,
    TicketStatus,
    Visibility,
)
from haumai.support.services.common import lock_ticket, refuse, touch

MAX_AMOUNT = 1_000_000_000


def approval_limit(actor: Any) -> int | None:
    """The goodwill (VND) an actor may grant alone: the highest limit of their roles (None = unlimited)."""
    if getattr(actor, "is_superuser", False):
        return None
    limits = [
        group.approval_limit.max_goodwill_vnd
        for group in actor.groups.select_related("approval_limit").all()
        if hasattr(group, "approval_limit")
    ]
    return max(limits, default=0)


def _note(ticket: Ticket, actor: Any, text: str) -> None:
    now = clock.now()
    Message.objects.create(
        ticket=ticket, direction=Direction.OUTBOUND, visibility=Visibility.NOTE, channel=ticket.channel,
        author=actor, sender_label=actor.get_username(), body_text=text, sent_at=now, created_at=now,
    )  # fmt: skip


def _amount_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def request_goodwill(*, actor: Any, ticket: Ticket, kind: str, amount_vnd: int, reason: str) -> GoodwillRequest:
    """Grant within the actor's limit, or ask a manager above it (one click); recorded on the ticket."""
    if not (actor.is_authenticated and actor.has_perm("support.add_goodwillrequest")):
        raise Forbidden()
    if kind not in GoodwillKind.values:
        raise refuse("kind", _("Choose a valid kind of goodwill"), "invalid_choice")
    if not isinstance(amount_vnd, int) or amount_vnd < 0 or amount_vnd > MAX_AMOUNT:
        raise refuse("amount_vnd", _("Enter an amount in VND between 0 and 1.000.000.000"), "invalid")
    if not reason.strip():
        raise refuse("reason", _("Say why the customer gets this"), "required")
    limit = approval_limit(actor)
    within = limit is None or amount_vnd <= limit
    with transaction.atomic():
        locked = lock_ticket(ticket)
        if locked.status in (TicketStatus.CLOSED, TicketStatus.MERGED):
            raise Conflict(_("This ticket is closed"), code="ticket_closed")
        now = clock.now()
        request = GoodwillRequest.objects.create(
            ticket=locked, kind=kind, amount_vnd=amount_vnd, reason=reason.strip()[:2000],
            status=GoodwillStatus.GRANTED if within else GoodwillStatus.PENDING, requested_by=actor, requested_at=now,
        )  # fmt: skip
        amount = {"kind": GoodwillKind(kind).label, "amount": _amount_text(amount_vnd)}
        if within:
            _note(locked, actor, _("Goodwill granted: %(kind)s, %(amount)s") % amount)
        else:
            _note(locked, actor, _("Goodwill above my limit, sent to a manager: %(kind)s, %(amount)s") % amount)
        touch(locked, [])
        record_event(
            name="ticket.goodwill_granted" if within else "ticket.goodwill_requested",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"code": locked.code, "kind": kind, "amount": amount_vnd, "request": request.pk},
        )
    return request


def decide_goodwill(*, actor: Any, request: GoodwillRequest, approve: bool, note: str = "") -> GoodwillRequest:
    """A manager approves or refuses a pending request; the outcome is written on the ticket."""
    if not (actor.is_authenticated and actor.has_perm("support.approve_goodwill")):
        raise Forbidden()
    with transaction.atomic():
        locked = GoodwillRequest.objects.select_for_update().select_related("ticket").get(pk=request.pk)
        if locked.status != GoodwillStatus.PENDING:
            raise Conflict(_("This request was already decided"), code="already_decided")
        limit = approval_limit(actor)
        if approve and limit is not None and locked.amount_vnd > limit:
            raise refuse("amount_vnd", _("This amount is above your own approval limit"), "over_approval_limit")
        if not approve and not note.strip():
            raise refuse("note", _("Say why it is refused"), "required")
        locked.status = GoodwillStatus.APPROVED if approve else GoodwillStatus.REFUSED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, clock.now(), note.strip()[:2000]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        ticket = lock_ticket(locked.ticket)
        label = GoodwillKind(locked.kind).label
        text = (
            _("Goodwill approved by %(who)s: %(kind)s, %(amount)s")
            if approve
            else _("Goodwill refused by %(who)s: %(kind)s, %(amount)s")
        ) % {"who": actor.get_username(), "kind": label, "amount": _amount_text(locked.amount_vnd)}
        _note(ticket, actor, f"{text}{' — ' + locked.decision_note if locked.decision_note else ''}")
        touch(ticket, [])
        record_event(
            name="ticket.goodwill_approved" if approve else "ticket.goodwill_refused",
            customer=ticket.customer,
            subject=ticket,
            actor=actor,
            payload={"code": ticket.code, "kind": locked.kind, "amount": locked.amount_vnd, "request": locked.pk},
        )
    return locked
