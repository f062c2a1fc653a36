"""Re-delivery (giao bù): staff book a new delivery of a failed or returned one, with the same or another
enabled carrier, booked with the carrier at once (its book API) so the console says yes or why not.

The first delivery is locked while booking, so two clicks in two tabs book one re-delivery; a delivery that
already has one open (not cancelled) is refused with its code. A carrier that refuses (a documented error
answer, a timeout) leaves nothing behind: no shipment, no event. Addresses and parcel come from the first
delivery; what it lacks (a delivery registered by tracking code alone has no addresses) comes from the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock, codes
from haumai.core.errors import Conflict, DomainError, FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.shipping.carriers import CarrierError, adapter_for
from haumai.shipping.models import Carrier, CarrierKind, Direction, Shipment
from haumai.shipping.services.common import event_payload, schedule_stuck_check
from haumai.shipping.services.creation import Parcel, Party, _parcel_snapshot, _party_snapshot
from haumai.shipping.statuses import ShipmentStatus

REDELIVERABLE = frozenset({ShipmentStatus.FAILED, ShipmentStatus.RETURNED})
PERMISSION = "shipping.add_shipment"


@dataclass(frozen=True)
class RedeliveryInput:
    """What staff choose: the carrier, and what the first delivery does not know (sender warehouse,
    recipient street and ward, parcel weight). Empty fields keep the first delivery's values."""

    carrier_code: str
    sender_warehouse: str = ""
    recipient_street: str = ""
    recipient_ward_code: str = ""
    weight_grams: int | None = None
    note: str = ""


def can_redeliver(shipment: Shipment) -> bool:
    """True when a delivery may get a re-delivery: forward, and failed or returned."""
    return shipment.direction == Direction.FORWARD and shipment.status in REDELIVERABLE


def enabled_carriers() -> list[Carrier]:
    """Carriers a re-delivery can be booked with (switched on, with a booking API or our own staff)."""
    return list(Carrier.objects.filter(is_active=True, kind__in=[CarrierKind.API, CarrierKind.OWN_FLEET]))


def open_redelivery(shipment: Shipment) -> Shipment | None:
    """The re-delivery of a delivery that is not cancelled, if any."""
    return shipment.redeliveries.exclude(status=ShipmentStatus.CANCELLED).order_by("-id").first()


def _require(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(PERMISSION):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": PERMISSION})


def _carrier(code: str) -> Carrier:
    carrier = Carrier.objects.filter(code=(code or "").strip()).first()
    if carrier is None or carrier.kind == CarrierKind.DROPOFF:
        message = _("Choose a carrier that delivers (unknown carrier '%(code)s').") % {"code": code}
        raise ValidationFailed(_("The re-delivery was not booked."), [FieldError("carrier", message, "unknown")])
    if not carrier.is_active:
        message = _("Carrier '%(name)s' is switched off.") % {"name": carrier.name}
        raise ValidationFailed(_("The re-delivery was not booked."), [FieldError("carrier", message, "carrier_off")])
    return carrier


def _parties(first: Shipment, data: RedeliveryInput, carrier: Carrier) -> tuple[dict[str, Any], ...]:
    sent, received, parcel = first.sender or {}, first.recipient or {}, first.parcel or {}
    errors: list[FieldError] = []
    need = carrier.kind == CarrierKind.API
    sender = Party(
        name="" if data.sender_warehouse else sent.get("name", ""),
        phone="" if data.sender_warehouse else sent.get("phone", ""),
        street="" if data.sender_warehouse else sent.get("street", ""),
        ward_code=None if data.sender_warehouse else sent.get("ward_code"),
        warehouse=data.sender_warehouse or sent.get("warehouse") or None,
    )
    recipient = Party(
        name=received.get("name", ""),
        phone=received.get("phone", ""),
        street=data.recipient_street.strip() or received.get("street", ""),
        ward_code=data.recipient_ward_code.strip() or received.get("ward_code"),
    )
    weight = data.weight_grams if data.weight_grams is not None else parcel.get("weight_grams", 0)
    box = Parcel(
        weight_grams=weight, length=parcel.get("length", 0), width=parcel.get("width", 0),
        height=parcel.get("height", 0), value_vnd=parcel.get("value_vnd", 0), items=parcel.get("items", []),
        note=(data.note.strip() or parcel.get("note", ""))[:500],
    )  # fmt: skip
    snapshots = (
        _party_snapshot("sender", sender, errors, need_address=True, need_phone=True),
        _party_snapshot("recipient", recipient, errors, need_address=need, need_phone=need),
        _parcel_snapshot(box, errors, by_carrier=need),
    )
    if errors:
        raise ValidationFailed(_("The re-delivery was not booked."), errors)
    return snapshots


def book_redelivery(*, actor: Any, shipment: Shipment, data: RedeliveryInput) -> Shipment:
    """Book a new delivery for a failed or returned one with the chosen carrier, linked to the first."""
    _require(actor)
    carrier = _carrier(data.carrier_code)
    with transaction.atomic():
        first = (
            Shipment.objects.select_related("carrier", "customer").select_for_update(of=("self",)).get(pk=shipment.pk)
        )
        if not can_redeliver(first):
            raise DomainError(
                _("Only a failed or returned delivery to a customer can be re-delivered (this one is '%(status)s').")
                % {"status": first.get_status_display()},
                code="not_redeliverable",
                status=409,
            )
        existing = open_redelivery(first)
        if existing is not None:
            raise Conflict(
                _("Delivery %(code)s already has re-delivery %(redelivery)s.")
                % {"code": first.code, "redelivery": existing.code},
                code="already_redelivered",
            )
        sender, recipient, parcel = _parties(first, data, carrier)
        now = clock.now()
        redelivery = Shipment.objects.create(
            code=codes.next_code("SHP"), carrier=carrier, direction=Direction.FORWARD, reference=first.reference,
            customer=first.customer, sender=sender, recipient=recipient, parcel=parcel, cod_amount=first.cod_amount,
            redelivery_of=first, idempotency_key=f"redelivery:{first.code}:{first.redeliveries.count() + 1}",
            created_by=actor,
        )  # fmt: skip
        try:
            booking = adapter_for(carrier.code).book(redelivery)
        except CarrierError as error:
            # Raised inside the atomic block: the new shipment and its code are rolled back.
            raise DomainError(
                _("%(carrier)s did not accept the re-delivery: %(error)s") % {"carrier": carrier.name, "error": error},
                code="carrier_refused",
                status=502,
            ) from error
        redelivery.tracking_code = booking.tracking_code
        redelivery.label_url = booking.label_url
        redelivery.label_text = booking.label_text
        redelivery.fee = booking.fee
        redelivery.status = ShipmentStatus.PICKUP_SCHEDULED
        redelivery.raw_status = "booked"
        redelivery.booked_at = now
        redelivery.last_tracking_at = now
        schedule_stuck_check(redelivery, since=now)
        redelivery.save()
        payload = event_payload(redelivery)
        record_event(name="shipment.created", customer=first.customer, subject=redelivery, actor=actor, payload=payload)
        record_event(name="shipment.booked", customer=first.customer, subject=redelivery, actor=actor, payload=payload)
        # On the first delivery (its page and the customer's timeline); the sentence links to the new one.
        record_event(
            name="delivery.redelivery_booked", customer=first.customer, subject=first, actor=actor,
            payload={**payload, "redelivery_of": first.code, "first_carrier": first.carrier.code},
        )  # fmt: skip
    return redelivery
