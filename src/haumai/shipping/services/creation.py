"""Creating shipments: validate the parties and the parcel, then queue the booking for the worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock, codes
from haumai.core.errors import Conflict, FieldError, ValidationFailed
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.customers.models import Province, Ward
from haumai.events.services import record_event
from haumai.inventory.models import Warehouse
from haumai.shipping.carriers import adapter_for
from haumai.shipping.models import Carrier, CarrierKind, Direction, Shipment
from haumai.shipping.services.common import event_payload, schedule_stuck_check
from haumai.shipping.statuses import ShipmentStatus

MAX_WEIGHT_GRAMS = 50_000  # the carriers' parcel limit (GHN, GHTK light goods)
MAX_SIDE_CM = 200
# Our own staff with a van carry what a carrier will not (a 335 L fridge weighs about 70 kg).
MAX_FLEET_WEIGHT_GRAMS = 300_000
MAX_FLEET_SIDE_CM = 300
MAX_VALUE_VND = 10_000_000_000
MAX_COD_VND = 50_000_000


@dataclass
class Party:
    """Who sends or receives, and where; ward/province are 2025 administrative unit codes."""

    name: str
    phone: str
    street: str = ""
    ward_code: int | str | None = None
    province_code: int | str | None = None
    # One of our warehouses (inventory Warehouse or its code): fills what is left empty from its store.
    warehouse: Any = None


@dataclass
class Parcel:
    """What is in the box: weight in grams, sides in cm, declared value in VND."""

    weight_grams: int
    length: int = 0  # cm
    width: int = 0
    height: int = 0
    value_vnd: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def create_shipment(
    *,
    carrier_code: str,
    direction: str,
    reference: str,
    customer: Any,
    sender: Party,
    recipient: Party,
    parcel: Parcel,
    pickup_window: tuple[dt.datetime, dt.datetime] | None = None,
    cod_amount: int = 0,
    actor: Any = None,
    idempotency_key: str,
) -> Shipment:
    """Create a shipment; carriers with an API are booked by the worker, own fleet and drop-off at once."""
    key = (idempotency_key or "").strip()
    existing = Shipment.objects.select_related("carrier").filter(idempotency_key=key).first() if key else None
    if existing is not None:
        return _same_request(
            existing, carrier_code=carrier_code, reference=reference, direction=direction, recipient=recipient
        )
    errors: list[FieldError] = []
    if not key:
        errors.append(FieldError("idempotency_key", _("An idempotency key is required.")))
    elif len(key) > 100:
        errors.append(FieldError("idempotency_key", _("The idempotency key is longer than 100 characters.")))
    carrier = Carrier.objects.filter(code=carrier_code).first()
    if carrier is None:
        errors.append(FieldError("carrier_code", _("Unknown carrier '%(code)s'.") % {"code": carrier_code}))
    elif not carrier.is_active:
        errors.append(FieldError("carrier_code", _("Carrier '%(code)s' is switched off.") % {"code": carrier_code}))
    if direction not in Direction.values:
        errors.append(FieldError("direction", _("Direction must be 'forward' or 'reverse'.")))
    reference = (reference or "").strip()
    if not reference or len(reference) > 40:
        errors.append(FieldError("reference", _("A reference of 1 to 40 characters is required.")))
    # Carriers with an API need both addresses; our own staff need the pickup address; drop-off needs none.
    kind = carrier.kind if carrier is not None else CarrierKind.API
    sender_snapshot = _party_snapshot(
        "sender", sender, errors, need_address=kind != CarrierKind.DROPOFF, need_phone=kind != CarrierKind.DROPOFF
    )
    recipient_snapshot = _party_snapshot(
        "recipient", recipient, errors, need_address=kind == CarrierKind.API, need_phone=kind == CarrierKind.API
    )
    parcel_snapshot = _parcel_snapshot(parcel, errors, by_carrier=kind == CarrierKind.API)
    if not isinstance(cod_amount, int) or not 0 <= cod_amount <= MAX_COD_VND:
        errors.append(FieldError("cod_amount", _("Cash on delivery must be between 0 and 50,000,000 VND.")))
    if pickup_window is not None:
        start, end = pickup_window
        if start.tzinfo is None or end.tzinfo is None or start >= end:
            errors.append(FieldError("pickup_window", _("The pickup window needs an aware start before its end.")))
    if errors:
        raise ValidationFailed(_("The shipment could not be created."), errors)
    assert carrier is not None
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                code=codes.next_code("SHP"),
                carrier=carrier,
                direction=direction,
                reference=reference,
                customer=customer,
                sender=sender_snapshot,
                recipient=recipient_snapshot,
                parcel=parcel_snapshot,
                cod_amount=cod_amount,
                pickup_from=pickup_window[0] if pickup_window else None,
                pickup_until=pickup_window[1] if pickup_window else None,
                idempotency_key=key,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                due_at=clock.now() if carrier.kind == CarrierKind.API else None,
            )
            record_event(
                name="shipment.created",
                customer=customer,
                subject=shipment,
                actor=actor,
                payload=event_payload(shipment),
            )
            if carrier.kind != CarrierKind.API:
                _book_without_carrier(shipment, actor=actor)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its shipment.
        existing = Shipment.objects.select_related("carrier").filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_request(
            existing, carrier_code=carrier_code, reference=reference, direction=direction, recipient=recipient
        )
    return shipment


def _book_without_carrier(shipment: Shipment, *, actor: Any) -> None:
    booking = adapter_for(shipment.carrier.code).book(shipment)
    now = clock.now()
    shipment.tracking_code = booking.tracking_code
    shipment.label_text = booking.label_text
    shipment.status = ShipmentStatus.PICKUP_SCHEDULED
    shipment.booked_at = now
    shipment.last_tracking_at = now
    schedule_stuck_check(shipment)
    shipment.save(
        update_fields=["tracking_code", "label_text", "status", "booked_at", "last_tracking_at", "due_at", "updated_at"]
    )
    record_event(
        name="shipment.booked",
        customer=shipment.customer,
        subject=shipment,
        actor=actor,
        payload=event_payload(shipment),
    )


def _same_request(
    existing: Shipment, *, carrier_code: str, reference: str, direction: str, recipient: Party
) -> Shipment:
    """A replay answers with the stored shipment; the same key for another parcel or address is a conflict."""
    same = (
        existing.carrier.code == carrier_code
        and existing.reference == (reference or "").strip()
        and existing.direction == direction
        and _same_party(existing.recipient, recipient)
    )
    if not same:
        raise Conflict(
            _("This idempotency key was already used for another shipment (%(code)s).") % {"code": existing.code}
        )
    return existing


def _same_party(stored: dict[str, Any], party: Party) -> bool:
    """Whether a replayed recipient is the stored one: what was given must match (empty falls back)."""
    street = (party.street or "").strip()
    if street and street != stored.get("street", ""):
        return False
    phone = (party.phone or "").strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except InvalidPhone:
            return False
        if phone != stored.get("phone", ""):
            return False
    warehouse = _warehouse(party.warehouse) if party.warehouse else None
    return not party.warehouse or (warehouse is not None and warehouse.code == stored.get("warehouse", ""))


def _party_snapshot(
    prefix: str, party: Party, errors: list[FieldError], *, need_address: bool, need_phone: bool
) -> dict[str, Any]:
    warehouse = _warehouse(party.warehouse)
    if party.warehouse and warehouse is None:
        errors.append(FieldError(f"{prefix}.warehouse", _("Unknown warehouse '%(code)s'.") % {"code": party.warehouse}))
    store = warehouse.store if warehouse is not None else None
    name = (party.name or "").strip() or (warehouse.name if warehouse else "")
    phone = (party.phone or "").strip() or (store.phone if store else "")
    street = (party.street or "").strip() or (store.street if store else "")
    ward_code = _int_or_none(party.ward_code) or (store.ward_id if store else None)
    province_code = _int_or_none(party.province_code) or (store.province_id if store else None)
    if province_code is None and warehouse is not None:
        province_code = warehouse.province_id
    snapshot: dict[str, Any] = {
        "name": name,
        "phone": "",
        "street": street,
        "ward_code": None,
        "ward_name": "",
        "province_code": province_code,
        "province_name": "",
        "warehouse": warehouse.code if warehouse else "",
    }
    if not name or len(name) > 160:
        errors.append(FieldError(f"{prefix}.name", _("A name of 1 to 160 characters is required.")))
    if phone or need_phone:
        try:
            snapshot["phone"] = normalize_phone(phone)
        except InvalidPhone:
            errors.append(
                FieldError(f"{prefix}.phone", _("'%(phone)s' is not a valid phone number.") % {"phone": phone})
            )
    if len(street) > 255:
        errors.append(FieldError(f"{prefix}.street", _("The street address is longer than 255 characters.")))
    if not need_address and not street and ward_code is None:
        if province_code is not None:
            province = Province.objects.filter(code=province_code).first()
            snapshot["province_name"] = province.name if province else ""
        return snapshot
    if not street:
        errors.append(FieldError(f"{prefix}.street", _("A street address is required.")))
    ward = Ward.objects.select_related("province").filter(code=ward_code).first() if ward_code else None
    if ward is None:
        errors.append(FieldError(f"{prefix}.ward_code", _("Choose a ward or commune that exists.")))
        return snapshot
    if province_code is not None and ward.province_id != province_code:
        errors.append(FieldError(f"{prefix}.ward_code", _("This ward does not belong to the chosen province.")))
    snapshot.update(
        ward_code=ward.code, ward_name=ward.name, province_code=ward.province_id, province_name=ward.province.name
    )
    return snapshot


def _warehouse(value: Any) -> Warehouse | None:
    if not value:
        return None
    if isinstance(value, Warehouse):
        return Warehouse.objects.select_related("store").filter(pk=value.pk).first()
    return Warehouse.objects.select_related("store").filter(code=str(value)).first()


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # matches no unit: reported as a field error


def _parcel_snapshot(parcel: Parcel, errors: list[FieldError], *, by_carrier: bool) -> dict[str, Any]:
    snapshot: dict[str, Any] = asdict(parcel)
    max_weight = MAX_WEIGHT_GRAMS if by_carrier else MAX_FLEET_WEIGHT_GRAMS
    max_side = MAX_SIDE_CM if by_carrier else MAX_FLEET_SIDE_CM
    if not isinstance(parcel.weight_grams, int) or not 1 <= parcel.weight_grams <= max_weight:
        message = _("The weight must be between 1 and %(max)s grams.") % {"max": f"{max_weight:,}"}
        if by_carrier and isinstance(parcel.weight_grams, int) and parcel.weight_grams > max_weight:
            message = _("%(kg)s kg is more than a carrier takes (50 kg): book a pickup by our own staff.") % {
                "kg": parcel.weight_grams // 1000
            }
        errors.append(FieldError("parcel.weight_grams", message))
    for side in ("length", "width", "height"):
        value = getattr(parcel, side)
        if not isinstance(value, int) or not 0 <= value <= max_side:
            errors.append(
                FieldError(f"parcel.{side}", _("Each side must be between 0 and %(max)s cm.") % {"max": max_side})
            )
    if not isinstance(parcel.value_vnd, int) or not 0 <= parcel.value_vnd <= MAX_VALUE_VND:
        errors.append(FieldError("parcel.value_vnd", _("The declared value must be a whole, non-negative VND amount.")))
    if len(parcel.note or "") > 500:
        errors.append(FieldError("parcel.note", _("The note is longer than 500 characters.")))
    items = []
    for index, item in enumerate(parcel.items or []):
        name = str(item.get("name", "")).strip() if isinstance(item, dict) else ""
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if not name or not isinstance(quantity, int) or not 1 <= quantity <= 10_000:
            errors.append(
                FieldError(f"parcel.items.{index}", _("Each item needs a name and a quantity from 1 to 10,000."))
            )
            continue
        items.append({"name": name[:200], "sku": str(item.get("sku", ""))[:64], "quantity": quantity})
    snapshot["items"] = items
    return snapshot
