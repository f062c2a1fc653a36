"""The home page's work queues, built from what the product tracks today.

Tickets, returns and repairs add their own queues when those features land; until then the home page
shows only queues backed by real data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.inventory.selectors import stock_levels
from haumai.sales.models import OrderStatus
from haumai.sales.selectors import order_list


@dataclass
class Queue:
    key: str
    title: str
    kind: str  # "orders" or "stock"
    items: list[Any] = field(default_factory=list)
    more: bool = False


def queues_for(user: Any, *, size: int = 10) -> list[Queue]:
    """The queues a user works from, by permission."""
    queues: list[Queue] = []
    if user.has_perm("sales.view_order"):
        placed = order_list(status=OrderStatus.PLACED, limit=size)
        queues.append(
            Queue(
                "orders_to_confirm", _("Orders waiting for confirmation"), "orders", placed[:size], len(placed) > size
            )
        )
        since = clock.now() - dt.timedelta(days=30)
        delivered = order_list(status=OrderStatus.DELIVERED, placed_from=since, limit=size)
        queues.append(
            Queue(
                "recently_delivered",
                _("Delivered this month: follow up with the customer"),
                "orders",
                delivered[:size],
                len(delivered) > size,
            )
        )
    if user.has_perm("inventory.view_stocklevel"):
        graded = list(stock_levels(grade="B")[: size + 1]) + list(stock_levels(grade="C")[: size + 1])
        queues.append(
            Queue(
                "graded_stock", _("Open-box and refurbish stock to process"), "stock", graded[:size], len(graded) > size
            )
        )
    return queues
