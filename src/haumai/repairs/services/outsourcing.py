"""Repairs sent to the brand's authorised service centre (when the brand's network is responsible): the
unit goes out through the shipping app (a shipment booked with a carrier, or our own staff) or with a
parcel booked elsewhere (carrier + tracking code recorded); the shipment's tracking moves the repair's
outsourcing status, and the way back is booked (or recorded) the same way. The repair cannot go to QC
while the unit is away. Shipments carry the RO code as their reference and no customer (the customer is
not the sender or the recipient, and must not get the carrier's delivery messages)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.repairs.models import RepairOrder, RepairStatus, ServiceCenter, ServiceCenterKind
from haumai.repairs.services.common import lock, payload_for, refuse, require_state

S = RepairStatus
DEFAULT_WEIGHT_GRAMS = 1000  # a unit whose weight is not in the catalogue travels as a 1 kg box
PROBLEMS = ("failed", "returned", "cancelled", "lost")
PROBLEM_EVENTS = ("shipment.booking_failed", "shipment.delayed")


def _shipping() -> Any:
    from haumai.shipping import services as shipping_services

    return shipping_services


def _carrier_exists(code: str) -> bool:
    from haumai.shipping.models import Carrier

    return Carrier.objects.filter(code=code, is_active=True).exists()


def _our_side(order: RepairOrder) -> Any:
    """Our centre as a shipping party: the address of its parts warehouse (or of the warehouse's store)."""
    center, warehouse = order.service_center, order.service_center.warehouse
    store = warehouse.store if warehouse is not None else None
    if warehouse is None:
        raise refuse("center", _("%(name)s has no warehouse to ship from") % {"name": center.name}, "no_address")
    if warehouse.street and warehouse.ward_id:
        street, ward, phone = warehouse.street, warehouse.ward_id, warehouse.phone
    elif store is not None and store.street and store.ward_id:
        street, ward, phone = store.street, store.ward_id, store.phone
    else:
        raise refuse(
            "center", _("%(name)s has no warehouse address to ship from") % {"name": center.name}, "no_address"
        )
    return _shipping().Party(
        name=center.name, phone=center.phone or phone, street=street, ward_code=ward, warehouse=warehouse.code
    )


def _brand_side(center: ServiceCenter) -> Any:
    """The brand centre as a shipping party (its street address and 2025 ward code)."""
    if not center.address.strip() or center.ward_id is None:
        raise refuse(
            "center",
            _("%(name)s needs a street address and a ward before a carrier can go there") % {"name": center.name},
            "no_address",
        )
    return _shipping().Party(
        name=center.name, phone=center.phone, street=center.address, ward_code=center.ward_id
    )


def _parcel(order: RepairOrder) -> Any:
    product = order.unit.product
    return _shipping().Parcel(
        weight_grams=product.weight_grams or DEFAULT_WEIGHT_GRAMS,
        length=product.length_cm,
        width=product.width_cm,
        height=product.height_cm,
        value_vnd=int(product.price or 0),
        items=[{"name": product.name, "sku": product.sku, "quantity": 1}],
        note=f"{order.code} · {order.unit.serial}",
    )


def _book(order: RepairOrder, *, actor: Any, carrier: str, outbound: bool, brand: ServiceCenter) -> Any:
    ours, theirs = _our_side(order), _brand_side(brand)
    stamp = clock.now().strftime("%Y%m%d%H%M%S%f")
    return _shipping().create_shipment(
        carrier_code=carrier,
        direction="forward" if outbound else "reverse",
        reference=order.code,
        customer=None,
        sender=ours if outbound else theirs,
        recipient=theirs if outbound else ours,
        parcel=_parcel(order),
        actor=actor,
        idempotency_key=f"repair:{order.code}:{'to-brand' if outbound else 'from-brand'}:{stamp}",
    )


def outsource(
    *, actor: Any, order: RepairOrder, center: ServiceCenter | None, carrier: str, tracking_code: str = ""
) -> RepairOrder:
    """Send the unit to the brand's authorised service centre. Without a tracking code the shipment is
    booked through the shipping app with `carrier` (a carrier code, or `own_fleet`); with one, a parcel
    booked elsewhere is recorded. Refused (nothing changes) for a non-brand centre, a unit already away,
    a centre without an address, or a shipment the shipping app refuses."""
    if center is None or center.kind != ServiceCenterKind.BRAND or not center.is_active:
        raise refuse("center", _("Choose an active brand service centre"), "not_brand")
    carrier, tracking_code = carrier.strip()[:40], tracking_code.strip()[:64]
    if not carrier:
        raise refuse("carrier", _("Which carrier takes the unit?"), "required")
    if not tracking_code and not _carrier_exists(carrier):
        raise refuse("tracking_code", _("Enter the tracking code, or choose a carrier to book"), "required")
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("send it to the brand"), S.REPAIRING, S.DIAGNOSING)
        if locked.outsourced_at is not None and locked.outsource_back_at is None:
            raise Conflict(_("The unit is already at the brand's centre"), code="already_outsourced")
        shipment = None if tracking_code else _book(locked, actor=actor, carrier=carrier, outbound=True, brand=center)
        locked.outsourced_to = center
        locked.outsource_carrier = carrier
        locked.outsource_tracking = shipment.tracking_code if shipment is not None else tracking_code
        locked.outsource_shipment = shipment.code if shipment is not None else ""
        locked.outsource_status = shipment.status if shipment is not None else ""
        locked.outsource_return_shipment = ""
        locked.outsource_return_status = ""
        locked.outsourced_at = clock.now()
        locked.outsource_back_at = None
        locked.save(update_fields=[*OUTSOURCE_FIELDS, "outsourced_at", "outsource_back_at", "updated_at"])
        record_event(
            name="repair.outsourced", customer=locked.customer, subject=locked, actor=actor,
            payload=payload_for(locked, brand_center=center.name, carrier=locked.outsource_carrier,
                                tracking=locked.outsource_tracking, shipment=locked.outsource_shipment),
        )  # fmt: skip
    return locked


OUTSOURCE_FIELDS = [
    "outsourced_to",
    "outsource_carrier",
    "outsource_tracking",
    "outsource_shipment",
    "outsource_status",
    "outsource_return_shipment",
    "outsource_return_status",
]


def book_return_from_brand(*, actor: Any, order: RepairOrder, carrier: str) -> RepairOrder:
    """Book the unit's way back from the brand centre to our centre through the shipping app."""
    carrier = carrier.strip()[:40]
    if not _carrier_exists(carrier):
        raise refuse("carrier", _("Choose a carrier to book"), "unknown_carrier")
    with transaction.atomic():
        locked = lock(order)
        brand = locked.outsourced_to
        if brand is None or locked.outsourced_at is None or locked.outsource_back_at is not None:
            raise Conflict(_("The unit is not at a brand centre"), code="not_outsourced")
        if locked.outsource_return_shipment:
            raise Conflict(
                _("The way back is already booked (%(code)s)") % {"code": locked.outsource_return_shipment},
                code="already_booked",
            )
        shipment = _book(locked, actor=actor, carrier=carrier, outbound=False, brand=brand)
        locked.outsource_return_shipment = shipment.code
        locked.outsource_return_status = shipment.status
        locked.save(update_fields=["outsource_return_shipment", "outsource_return_status", "updated_at"])
        record_event(
            name="repair.outsource_return_booked", customer=locked.customer, subject=locked, actor=actor,
            payload=payload_for(locked, brand_center=brand.name, carrier=carrier, shipment=shipment.code),
        )  # fmt: skip
    return locked


def outsource_returned(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """The unit came back from the brand's centre (recorded at the counter, or by the return parcel)."""
    with transaction.atomic():
        locked = lock(order)
        if locked.outsourced_to is None or locked.outsourced_at is None or locked.outsource_back_at is not None:
            raise Conflict(_("The unit is not at a brand centre"), code="not_outsourced")
        _mark_back(locked, actor=actor, note=note)
    return locked


def _mark_back(locked: RepairOrder, *, actor: Any, note: str) -> None:
    locked.outsource_back_at = clock.now()
    locked.save(update_fields=["outsource_back_at", "outsource_return_status", "updated_at"])
    record_event(
        name="repair.outsource_returned", customer=locked.customer, subject=locked, actor=actor,
        payload=payload_for(locked, brand_center=locked.outsourced_to.name if locked.outsourced_to else "",
                            note=note.strip()[:300]),
    )  # fmt: skip


def on_shipment_event(event: Any) -> None:
    """A shipment of an outsourced repair moved (subscribed to `shipment.*`; idempotent): the order's
    outsourcing status follows it; delivered to the brand -> `repair.outsource_arrived`; the way back
    delivered -> the unit is back; a failed, lost, cancelled or stuck parcel -> a problem event."""
    payload = event.payload or {}
    reference, code = str(payload.get("reference") or ""), str(payload.get("shipment_code") or "")
    if not reference.startswith("RO-") or not code:
        return
    with transaction.atomic():
        found = RepairOrder.objects.filter(code=reference).first()
        if found is None:
            return
        locked = lock(found)
        status = str(payload.get("status") or "")[:20]
        outbound = code == locked.outsource_shipment
        if not outbound and code != locked.outsource_return_shipment:
            return
        field = "outsource_status" if outbound else "outsource_return_status"
        if getattr(locked, field) == status and event.name not in PROBLEM_EVENTS:
            return  # a replayed or repeated report
        setattr(locked, field, status)
        if outbound and locked.outsource_tracking != str(payload.get("tracking_code") or locked.outsource_tracking):
            locked.outsource_tracking = str(payload.get("tracking_code"))[:64]
        locked.save(update_fields=[field, "outsource_tracking", "updated_at"])
        brand = locked.outsourced_to.name if locked.outsourced_to else ""
        extra = {"brand_center": brand, "shipment": code, "shipment_status": status}
        if status in PROBLEMS or event.name in PROBLEM_EVENTS:
            record_event(name="repair.outsource_shipment_problem", customer=locked.customer, subject=locked,
                         payload=payload_for(locked, **extra))  # fmt: skip
        elif status == "delivered" and outbound:
            record_event(name="repair.outsource_arrived", customer=locked.customer, subject=locked,
                         payload=payload_for(locked, **extra))  # fmt: skip
        elif status == "delivered" and locked.outsource_back_at is None:
            _mark_back(locked, actor=None, note=_("Delivered by %(code)s") % {"code": code})
