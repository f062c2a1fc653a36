"""Reactions to other apps' events (run by the events dispatcher after commit, in the worker)."""

from __future__ import annotations

from typing import Any

from haumai.core.errors import NotFound
from haumai.returns import selectors as returns_selectors
from haumai.sales.models import Order
from haumai.warranty import services
from haumai.warranty.models import Claim, VoidReason


def on_order_delivered(event: Any) -> None:
    """An order was delivered: its units' warranties start (idempotent)."""
    if event.subject_type != "sales.order":
        return
    order = Order.objects.select_related("customer").filter(pk=event.subject_id).first()
    if order is not None:
        services.start_for_order(actor=None, order=order, actor_label="system")


def on_return_refunded(event: Any) -> None:
    """A return was refunded (or store-credited): the returned units are no longer covered for their former
    owner; the return of a warranty claim's refund voids with that reason."""
    code = (event.payload or {}).get("return_code")
    if not code:
        return
    try:
        request = returns_selectors.return_by_code(str(code))
    except NotFound:
        return
    unit_ids = [line.unit_id for line in request.lines.all() if line.unit_id and line.received_quantity]
    if unit_ids:
        by_claim = Claim.objects.filter(return_code=request.code).exists()
        services.void_returned_units(
            actor=None, customer_id=request.customer_id, unit_ids=unit_ids, reference=request.code,
            reason=VoidReason.CLAIM_REFUNDED if by_claim else VoidReason.RETURNED_REFUNDED,
        )  # fmt: skip
