"""Sales in the console search: orders by code and sold units by serial/IMEI (both open the customer 360)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.catalog.selectors import unit_by_serial
from haumai.core.errors import DomainError
from haumai.core.registry import SearchHit, SearchProvider, register_search
from haumai.sales.selectors import order_by_code


def _code_like(query: str) -> bool:
    return " " not in query and len(query) >= 4 and any(ch.isdigit() for ch in query)


def search_orders(query: str, user: Any, limit: int) -> list[SearchHit]:
    """An order by its code (ORD-2026-000123), exact."""
    text = query.strip()
    if not text.upper().startswith("ORD-") or not _code_like(text):
        return []
    with contextlib.suppress(DomainError):
        order = order_by_code(text)
        return [
            SearchHit(
                kind=_("Order"),
                title=order.code,
                subtitle=f"{order.customer.full_name} · {order.get_status_display()}",
                url=reverse("customers:detail", args=[order.customer.code]) + f"#order-{order.code}",
                icon="shopping-bag",
                score=1.0,
            )
        ]
    return []


def search_units(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A unit by serial or IMEI, exact; opens the customer who bought it when it was sold."""
    text = query.strip()
    if not _code_like(text) or text.upper().startswith(("ORD-", "RMA-", "SHP-", "RF-", "CUS-")):
        return []
    with contextlib.suppress(DomainError):
        unit = unit_by_serial(text)
        line = unit.order_lines.select_related("order__customer").order_by("-id").first()
        subtitle = unit.product.name
        url = reverse("customers:list")
        if line is not None:
            subtitle += f" · {line.order.customer.full_name} · {line.order.code}"
            url = reverse("customers:detail", args=[line.order.customer.code]) + f"#order-{line.order.code}"
        return [
            SearchHit(kind=_("Serial/IMEI"), title=unit.serial, subtitle=subtitle, url=url, icon="barcode", score=1.0)
        ]
    return []


register_search(
    SearchProvider(
        key="sales.orders", label=_("Orders"), search=search_orders, permission="sales.view_order", order=20
    ),
    SearchProvider(
        key="catalog.units", label=_("Serial/IMEI"), search=search_units, permission="catalog.view_unit", order=60
    ),
)
