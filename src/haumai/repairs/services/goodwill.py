"""Goodwill on a paid repair: a discount, up to a free repair, given with the quote. Within the giver's
approval limit (the highest `accounts.ApprovalLimit` of their roles, as in support's goodwill) it applies at
once; above it the quote waits for a manager (`quotes.decide_goodwill`), and the customer sees nothing
until then."""

from __future__ import annotations

from typing import Any

from haumai.core import clock
from haumai.events.services import record_event
from haumai.repairs.models import GoodwillStatus, RepairOrder
from haumai.repairs.services.common import payload_for

APPROVE_PERMISSION = "repairs.approve_goodwill"
# Goodwill that counts in the customer's total.
GIVEN = (GoodwillStatus.GRANTED, GoodwillStatus.APPROVED)
GOODWILL_FIELDS = [
    "goodwill_vnd",
    "goodwill_reason",
    "goodwill_status",
    "goodwill_requested_by",
    "goodwill_decided_by",
    "goodwill_decided_at",
    "goodwill_note",
]


def approval_limit(actor: Any) -> int | None:
    """The goodwill (VND) an actor may give alone: the highest limit of their roles (None = unlimited)."""
    if getattr(actor, "is_superuser", False):
        return None
    if not getattr(actor, "is_authenticated", False):
        return 0
    limits = [
        group.approval_limit.max_goodwill_vnd
        for group in actor.groups.select_related("approval_limit").all()
        if hasattr(group, "approval_limit")
    ]
    return max(limits, default=0)


def within_limit(actor: Any, amount: int) -> bool:
    """Whether the actor may give `amount` without a manager."""
    limit = approval_limit(actor)
    return limit is None or amount <= limit


def vnd_text(amount: int) -> str:
    """1.234.567 ₫"""
    return f"{amount:,}".replace(",", ".") + " ₫"


def set_goodwill(order: RepairOrder, *, actor: Any, amount: int, reason: str) -> bool:
    """Put the goodwill of a new quote on the locked order (not saved); False when a manager must decide."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    order.goodwill_vnd = amount
    order.goodwill_reason = reason.strip()[:500] if amount else ""
    order.goodwill_requested_by = user if amount else None
    order.goodwill_decided_by = None
    order.goodwill_decided_at = None
    order.goodwill_note = ""
    if not amount:
        order.goodwill_status = GoodwillStatus.NONE
        return True
    if within_limit(actor, amount):
        order.goodwill_status = GoodwillStatus.GRANTED
        order.goodwill_decided_by = user
        order.goodwill_decided_at = clock.now()
        _record(order, actor, "repair.goodwill_granted")
        return True
    order.goodwill_status = GoodwillStatus.PENDING
    _record(order, actor, "repair.goodwill_requested")
    return False


def _record(order: RepairOrder, actor: Any, name: str, **extra: Any) -> None:
    record_event(
        name=name,
        customer=order.customer,
        subject=order,
        actor=actor,
        payload=payload_for(
            order, goodwill=order.goodwill_vnd, reason=order.goodwill_reason, version=order.quote_version, **extra
        ),
    )


def record_decision(order: RepairOrder, *, actor: Any, approve: bool, note: str) -> None:
    """Write a manager's answer on the locked order (not saved) and its event."""
    order.goodwill_status = GoodwillStatus.APPROVED if approve else GoodwillStatus.REFUSED
    order.goodwill_decided_by = actor
    order.goodwill_decided_at = clock.now()
    order.goodwill_note = note.strip()[:500]
    name = "repair.goodwill_approved" if approve else "repair.goodwill_refused"
    _record(order, actor, name, note=order.goodwill_note)
