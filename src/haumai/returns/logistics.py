"""Seam to the shipping app: book a reverse shipment for an RMA (reference = RMA code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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


def enabled_carriers() -> list[tuple[str, str]]:
    """(code, name) of the carriers with an API that are switched on: what a customer may choose."""
    from haumai.shipping.models import Carrier, CarrierKind

    return list(
        Carrier.objects.filter(kind=CarrierKind.API, is_active=True).order_by("name").values_list("code", "name")
    )


def return_warehouse(code: str = "") -> Warehouse | None:
    """The warehouse a return goes to: the one named, the configured default, else the first central one."""
    wanted = code.strip() or conf.default_warehouse_code()
    if wanted:
        return Warehouse.objects.filter(code=wanted).first()
    return Warehouse.objects.filter(store__isnull=True).order_by("pk").first() or Warehouse.objects.order_by(
        "pk"
    ).first()


def quote_pickup(
    *, customer: Any, pickup: Any, items: Sequence[tuple[Any, int]], carrier_codes: Sequence[str] | None = None
) -> list[Any]:
    """Each enabled carrier's fee for picking these items up at `pickup` (a PickupInput) and taking them to
    the returns warehouse, cheapest first; unavailable carriers carry the reason. ValidationFailed when the
    address lacks what carriers require (street, ward/commune, province of the 2025 units)."""
    shipping = _shipping()
    from haumai.shipping.services.quotes import quote_fees

    warehouse = return_warehouse()
    if warehouse is None:
        raise ShippingUnavailable(_("No warehouse takes returns yet"))
    weight, length, width, height = parcel_size([_Item(product, quantity) for product, quantity in items])
    return quote_fees(
        sender=shipping.Party(
            name=pickup.name or customer.full_name,
            phone=pickup.phone or customer.phone or "",
            street=pickup.street,
            ward_code=_code(pickup.ward_code),
            province_code=_code(pickup.province_code),
        ),
        recipient=shipping.Party(warehouse=warehouse.code, **_warehouse_address(warehouse)),
        parcel=shipping.Parcel(
            weight_grams=weight,
            length=length,
            width=width,
            height=height,
            value_vnd=sum(product.price * quantity for product, quantity in items),
        ),
        carrier_codes=carrier_codes,
    )


# What a carrier takes; a heavier replacement goes with our own staff.
CARRIER_MAX_GRAMS = 50_000


@dataclass(frozen=True)
class _Item:
    product: Any
    quantity: int


def _customer_place(request: ReturnRequest) -> dict[str, Any] | None:
    """Where the replacement goes: the pickup address of the return, else the customer's default address."""
    if request.pickup_street and request.pickup_ward_code:
        return {
            "name": request.pickup_name or request.customer.full_name,
            "phone": request.pickup_phone or request.customer.phone or "",
            "street": request.pickup_street,
            "ward_code": _code(request.pickup_ward_code),
            "province_code": _code(request.pickup_province_code),
        }
    from haumai.customers.models import Address

    address = Address.objects.filter(customer=request.customer).order_by("-is_default", "pk").first()
    if address is None:
        return None
    return {
        "name": address.recipient_name or request.customer.full_name,
        "phone": address.phone or request.customer.phone or "",
        "street": address.street,
        "ward_code": address.ward_id,
        "province_code": address.province_id,
    }


def replacement_carrier(request: ReturnRequest, weight_grams: int) -> str:
    """The carrier the customer chose for the return, else the default; our staff beyond carriers' limit."""
    if weight_grams > CARRIER_MAX_GRAMS or request.logistics == Logistics.STAFF_PICKUP:
        return OWN_FLEET
    return request.carrier_code or conf.default_carrier_code()


def book_replacement_shipment(
    *, request: ReturnRequest, order_code: str, items: Sequence[tuple[Any, int]], actor: Any
) -> Any:
    """Book the outbound shipment of an exchange's replacement (warehouse -> customer); the worker calls the
    carrier with the same book call as for pickups. Raises DomainError when it cannot be booked."""
    shipping = _shipping()
    warehouse = request.warehouse
    if warehouse is None:
        raise ShippingUnavailable(_("Choose the warehouse the replacement is taken from"))
    place = _customer_place(request)
    if place is None:
        raise ShippingUnavailable(_("The customer has no address to send the replacement to"))
    lines = [_Item(product, quantity) for product, quantity in items]
    weight, length, width, height = parcel_size(lines)
    parcel = shipping.Parcel(
        weight_grams=weight,
        length=length,
        width=width,
        height=height,
        value_vnd=sum(product.price * quantity for product, quantity in items),
        items=[{"name": p.name, "sku": p.sku, "quantity": q} for p, q in items],
        note=_("Replacement for %(code)s (order %(order)s)") % {"code": request.code, "order": order_code},
    )
    return shipping.create_shipment(
        carrier_code=replacement_carrier(request, weight),
        direction="forward",
        reference=request.code,
        customer=request.customer,
        sender=shipping.Party(warehouse=warehouse.code, **_warehouse_address(warehouse)),
        recipient=shipping.Party(**place),
        parcel=parcel,
        cod_amount=0,
        actor=actor,
        idempotency_key=f"return:{request.code}:exchange",
    )


def replacement_shipments(request: ReturnRequest) -> list[Any]:
    """The outbound shipments of an exchange's replacement."""
    return [s for s in shipments_for(request) if getattr(s, "direction", "") == "forward"]


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
