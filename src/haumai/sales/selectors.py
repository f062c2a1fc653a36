"""Reads about orders: keyset-paginated lists (no COUNT) and detail with lines."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haumai.core.errors import NotFound
from haumai.sales.models import Channel, Order, OrderLine

# Columns the API output needs; `slim` lists load only these (fewer columns and datetimes to parse).
SLIM_ORDER_FIELDS = (
    "code", "channel__code", "external_id", "store__code", "status", "placed_at", "delivered_at", "total",
    "payment_method", "created_at", "updated_at", "customer__code", "customer__full_name", "customer__phone",
)  # fmt: skip
SLIM_LINE_FIELDS = (
    "order_id", "quantity", "unit_price", "line_total", "product__sku", "product__name", "unit__serial", "unit__imei",
)  # fmt: skip


def _with_lines(orders: QuerySet[Order], *, slim: bool = False) -> QuerySet[Order]:
    lines = OrderLine.objects.select_related("product", "unit").order_by("id")
    orders = orders.select_related("customer", "channel", "store")
    if slim:
        orders, lines = orders.only(*SLIM_ORDER_FIELDS), lines.only(*SLIM_LINE_FIELDS)
    return orders.prefetch_related(Prefetch("lines", queryset=lines))


def order_list(
    *,
    customer_code: str = "",
    status: str = "",
    channel: str = "",
    placed_from: dt.datetime | None = None,
    placed_to: dt.datetime | None = None,
    after: tuple[dt.datetime, int] | None = None,
    limit: int = 20,
    slim: bool = False,
) -> list[Order]:
    """Orders newest first (placed_at, id), the page after the keyset `after`; fetches limit+1 rows.

    Keyset pagination walks the (-placed_at, -id) index, so page 1000 costs the same as page 1.
    `slim` loads only the columns the API shows (other fields would cost a query each: API only).
    """
    orders = Order.objects.all()
    if customer_code:
        orders = orders.filter(customer__code=customer_code.strip().upper())
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel__code=channel.strip())
    if placed_from is not None:
        orders = orders.filter(placed_at__gte=placed_from)
    if placed_to is not None:
        orders = orders.filter(placed_at__lt=placed_to)
    if after is not None:
        placed_at, order_id = after
        orders = orders.filter(placed_at__lte=placed_at).filter(Q(placed_at__lt=placed_at) | Q(id__lt=order_id))
    return list(_with_lines(orders.order_by("-placed_at", "-id"), slim=slim)[: limit + 1])


def order_by_code(code: str, *, slim: bool = False) -> Order:
    """One order with its customer, channel, store and lines, or NotFound."""
    order = _with_lines(Order.objects.filter(code=code.strip().upper()), slim=slim).first()
    if order is None:
        raise NotFound(_("No order with code %(code)s") % {"code": code})
    return order


def channel_list() -> QuerySet[Channel]:
    """All sales channels."""
    return Channel.objects.order_by("code")
