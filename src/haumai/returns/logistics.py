"""Seam to the shipping app: book a reverse shipment for an RMA (reference = RMA code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core.errors import DomainError
from haumai.inventory.models import Warehouse
from haumai.returns import conf
from haumai.returns.models import Logistics, ReturnRequest

# Carrier used when the customer asked for a staff pickup.
OWN_FLEET = "own_fleet"


class ShippingUnavailable(DomainError):
    """The shipping app cannot take bookings (not installed or refused the request)."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="shipping_unavailable", status=503)


def _shipping() -> Any:
    from haumai.shipping import services as shipping_services

    if not hasattr(shipping_services, "create_shipment"):
        raise ShippingUnavailable(_("Reverse pickups cannot be booked: the shipping module is not available"))
    return shipping_services


def _code(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _warehouse_address(warehouse: Warehouse) -> dict[str, Any]:
    """Where parcels for a warehouse go: its own address, else its store's, else the configured returns address."""
    if warehouse.street and warehouse.ward_id:
        return {
            "name": warehouse.name,
            "phone": warehouse.phone or conf.returns_address_phone(),
            "street": warehouse.street,
            "ward_code": warehouse.ward_id,
            "province_code": warehouse.province_id,
        }
    store = warehouse.store
    if store is not None and store.street and store.ward_id:
        return {
            "name": warehouse.name,
            "phone": store.phone or conf.returns_address_phone(),
            "street": store.street,
            "ward_code": store.ward_id,
            "province_code": store.province_id,
        }
    return {
        "name": warehouse.name,
        "phone": conf.returns_address_phone(),
        "street": conf.returns_address_street(),
        "ward_code": _code(conf.returns_address_ward_code()),
        "province_code": warehouse.province_id,
    }


# A product whose size is not recorded yet travels as a small box (what every parcel was before sizes).
DEFAULT_ITEM = (500, 30, 20, 15)  # grams, cm, cm, cm


def parcel_size(lines: Sequence[Any]) -> tuple[int, int, int, int]:
    """Weight and box of the returned items from their products: weights add up, the box is as long and
    wide as the largest item and as high as the items stacked (an estimate the carrier re-weighs)."""
    weight = length = width = height = 0
    for line in lines:
        product = line.product
        known = product.weight_grams > 0 and product.length_cm > 0
        item = (
            (product.weight_grams, product.length_cm, product.width_cm, product.height_cm) if known else DEFAULT_ITEM
        )
        weight += item[0] * line.quantity
        length, width = max(length, item[1]), max(width, item[2])
        height += item[3] * line.quantity
    return max(weight, 1), max(length, 1), max(width, 1), max(height, 1)


def book_reverse_shipment(*, request: ReturnRequest, actor: Any) -> Any:
    """Create the reverse shipment (customer -> warehouse); the carrier is called by the worker."""
    shipping = _shipping()
    warehouse = request.warehouse
    if warehouse is None:
        raise ShippingUnavailable(_("Choose the warehouse the return goes to"))
    lines = list(request.lines.select_related("product"))
    sender = shipping.Party(
        name=request.pickup_name or request.customer.full_name,
        phone=request.pickup_phone or request.customer.phone or "",
        street=request.pickup_street,
        ward_code=_code(request.pickup_ward_code),
        province_code=_code(request.pickup_province_code),
    )
    recipient = shipping.Party(warehouse=warehouse.code, **_warehouse_address(warehouse))
    weight, length, width, height = parcel_size(lines)
    parcel = shipping.Parcel(
        weight_grams=weight,
        length=length,
        width=width,
        height=height,
        value_vnd=sum(line.value for line in lines),
        items=[{"name": line.product.name, "sku": line.product.sku, "quantity": line.quantity} for line in lines],
        note=request.code,
    )
    window: tuple[dt.datetime, dt.datetime] | None = None
    if request.pickup_from and request.pickup_to:
        window = (request.pickup_from, request.pickup_to)
    carrier = OWN_FLEET if request.logistics == Logistics.STAFF_PICKUP else request.carrier_code
    return shipping.create_shipment(
        carrier_code=carrier,
        direction="reverse",
        reference=request.code,
        customer=request.customer,
        sender=sender,
        recipient=recipient,
        parcel=parcel,
        pickup_window=window,
        cod_amount=0,
        actor=actor,
        idempotency_key=f"return:{request.code}:pickup",
    )


def shipments_for(request: ReturnRequest) -> list[Any]:
    """The shipments booked for an RMA (empty when shipping is not available)."""
    try:
        from haumai.shipping import selectors as shipping_selectors
    except ImportError:  # pragma: no cover
        return []
    finder = getattr(shipping_selectors, "shipments_for_reference", None)
    return list(finder(request.code)) if finder else []


def shipment_matching(text: str) -> Any:
    """A shipment by its code or carrier tracking code (for scans of a carrier label), or None."""
    from haumai.shipping import selectors as shipping_selectors

    finder = getattr(shipping_selectors, "shipment_by_code_or_tracking", None)
    return finder(text) if finder else None


def cancel_shipment(*, request: ReturnRequest, actor: Any) -> bool:
    """Ask shipping to cancel the reverse shipment of a cancelled return; False when it cannot."""
    from haumai.shipping import services as shipping_services

    canceller = getattr(shipping_services, "cancel_shipment", None)
    shipments = [s for s in shipments_for(request) if getattr(s, "direction", "reverse") == "reverse"]
    if canceller is None or not shipments:
        return False
    try:
        with transaction.atomic():
            for shipment in shipments:
                reason = _("Return %(code)s cancelled") % {"code": request.code}
                canceller(shipment=shipment, actor=actor, reason=reason)
    except DomainError:
        return False
    return True
