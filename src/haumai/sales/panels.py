"""The customer 360's orders panel: newest first, ten at a time (keyset pages), with lines and serials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.sales.selectors import order_list

ORDERS_SHOWN = 10


def order_cursor(raw: str) -> tuple[dt.datetime, int] | None:
    """Read the `orders_after=<placed_at>|<id>` keyset of the next page; None when absent or malformed."""
    placed, _sep, order_id = raw.partition("|")
    try:
        return dt.datetime.fromisoformat(placed), int(order_id)
    except ValueError:
        return None


def orders(request: HttpRequest, customer: Any) -> dict[str, Any]:
    rows = order_list(
        customer_code=customer.code, after=order_cursor(request.GET.get("orders_after", "")), limit=ORDERS_SHOWN
    )
    last = rows[ORDERS_SHOWN - 1] if len(rows) > ORDERS_SHOWN else None
    return {
        "orders": rows[:ORDERS_SHOWN],
        "next_orders_cursor": f"{last.placed_at.isoformat()}|{last.pk}" if last is not None else "",
        "is_later_page": bool(request.GET.get("orders_after")),
    }


register_panel(
    CustomerPanel(
        key="orders", title=_("Orders"), template="sales/panels/orders.html", context=orders,
        permission="sales.view_order", column="main", order=10,
    )
)  # fmt: skip
