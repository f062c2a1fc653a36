"""The delivery columns of the orders import (carrier + tracking code), checked by the API's rules.

A known, switched-on carrier; a tracking code of 3 to 60 letters, digits, dots, dashes or underscores;
one code per parcel per carrier (not on two orders of the file, not used by another order already).
The shipments themselves are registered by shipping's own function, the one the API uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from haumai.sales.models import OrderStatus
from haumai.shipping import selectors as shipping_selectors
from haumai.shipping.models import Direction
from haumai.shipping.services.outbound import TRACKING_CODE


def cell_problems(carrier: str, tracking_code: str, status: str) -> Iterator[tuple[str, str]]:
    """(column, message) for each problem of one order's carrier and tracking code cells."""
    if not carrier and not tracking_code:
        return
    if not carrier:
        yield "carrier", "is required with a tracking code"
    if not tracking_code:
        yield "tracking_code", "is required with a carrier"
        return
    if not TRACKING_CODE.match(tracking_code):
        yield (
            "tracking_code",
            f"'{tracking_code}' is not a tracking code (3 to 60 letters, digits, dots, dashes or underscores)",
        )
    elif status == OrderStatus.CANCELLED:
        yield "tracking_code", "a cancelled order has no delivery to register"


def carrier_problems(orders: Iterable[Any]) -> Iterator[tuple[Any, str, str]]:
    """(order, column, message) for unknown or switched-off carriers and codes given to two orders of the file."""
    with_delivery = [order for order in orders if order.carrier and order.tracking_code]
    if not with_delivery:
        return
    carriers = shipping_selectors.outbound_carriers()
    seen: dict[tuple[str, str], Any] = {}
    for order in with_delivery:
        active = carriers.get(order.carrier)
        if active is None:
            known = ", ".join(sorted(carriers)) or "none yet"
            yield order, "carrier", f"unknown carrier '{order.carrier}' (known: {known})"
            continue
        if not active:
            yield order, "carrier", f"carrier '{order.carrier}' is switched off"
            continue
        key = (order.carrier, order.tracking_code)
        other = seen.setdefault(key, order)
        if other is not order:
            message = (
                f"tracking code {order.tracking_code} of {order.carrier} is already on line {other.first_line} "
                f"(order {other.external_id})"
            )
            yield order, "tracking_code", message


def tracking_code_uses(orders: Iterable[Any]) -> dict[tuple[str, str], tuple[str, str]]:
    """(carrier, tracking code) -> (direction, reference) of stored shipments using the codes of these orders."""
    codes = {order.tracking_code for order in orders if order.tracking_code}
    return shipping_selectors.tracking_code_uses(codes) if codes else {}


def taken_by(use: tuple[str, str] | None, order_code: str | None) -> str | None:
    """The reference that already holds the code, unless it is this stored order's own delivery."""
    if use is None or use == (Direction.FORWARD, order_code):
        return None
    return use[1]
