"""Reactions to other apps' events (run by the events dispatcher after commit, in the worker)."""

from __future__ import annotations

from typing import Any

from haumai.core.errors import NotFound
from haumai.loyalty.services import cashback, earning
from haumai.returns import selectors as returns_selectors
from haumai.sales.models import Order


def on_order_delivered(event: Any) -> None:
    """An order was delivered: it earns points (once) and its cashback is held until the return window closes."""
    if event.subject_type != "sales.order":
        return
    order = Order.objects.filter(pk=event.subject_id).first()
    if order is not None:
        earning.earn_for_order(order=order, actor=None)
        cashback.hold_for_order(order=order)


def on_return_refunded(event: Any) -> None:
    """A return was refunded or store-credited: the returned share of the order's points and cashback goes back."""
    code = (event.payload or {}).get("return_code")
    if not code:
        return
    try:
        request = returns_selectors.return_by_code(str(code))
    except NotFound:
        return
    if request.order_id is None:
        return
    lines = [
        (line.product_id, (line.received_quantity or line.quantity) * line.unit_price) for line in request.lines.all()
    ]
    returned = sum(value for _product, value in lines)
    order = Order.objects.get(pk=request.order_id)
    earning.claw_back_for_return(order=order, return_code=request.code, returned_vnd=returned, actor=None)
    cashback.reverse_for_return(order=order, return_code=request.code, returned=lines)
