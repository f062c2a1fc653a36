"""Personal data held by shipping: the customer's side of a shipment (name, phone, street) and what the
carriers sent back verbatim (haumai.privacy). Shipments stay after a deletion (fees, returns) with the
customer's side cleared and carrier payloads scrubbed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED, scrub, scrub_text
from haumai.shipping.models import Shipment, TrackingEvent

PARTY_PERSONAL_KEYS = ("name", "phone", "street", "ward_name")


def export(person: Person) -> ExportPart:
    """The person's shipments and their tracking history."""
    shipments = Shipment.objects.filter(customer=person.customer).order_by("created_at", "id")
    return ExportPart(
        tables={
            "shipping.shipment": rows(
                shipments,
                (
                    "code",
                    "carrier__name",
                    "direction",
                    "status",
                    "tracking_code",
                    "reference",
                    "sender",
                    "recipient",
                    "cod_amount",
                    "fee",
                    "created_at",
                ),
            ),
            "shipping.trackingevent": rows(
                TrackingEvent.objects.filter(shipment__customer=person.customer).order_by("shipment_id", "occurred_at"),
                ("shipment__code", "raw_code", "description", "mapped_status", "occurred_at", "raw_payload"),
            ),
        }
    )


def _clear_party(party: dict[str, Any]) -> dict[str, Any]:
    if party.get("warehouse"):
        return party  # our warehouse or store, not the person
    return {**party, **{key: REDACTED for key in PARTY_PERSONAL_KEYS if key in party}, "ward_code": None}


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear the customer's side of each shipment; scrub booking errors and carrier payloads."""
    shipments = 0
    events = 0
    with transaction.atomic():
        for shipment in Shipment.objects.select_for_update().filter(customer=person.customer):
            shipment.sender = scrub(_clear_party(shipment.sender or {}), person)
            shipment.recipient = scrub(_clear_party(shipment.recipient or {}), person)
            shipment.booking_error = scrub_text(shipment.booking_error, person)
            shipment.save(update_fields=["sender", "recipient", "booking_error", "updated_at"])
            shipments += 1
        for event in TrackingEvent.objects.filter(shipment__customer=person.customer).only(
            "id", "raw_payload", "description"
        ):
            event.raw_payload = scrub(event.raw_payload, person)
            event.description = scrub_text(event.description, person)
            event.save(update_fields=["raw_payload", "description"])
            events += 1
    return {"shipping.shipment": shipments, "shipping.trackingevent": events}


register(
    PersonalDataSource(
        app="shipping",
        models=(
            PersonalModel(
                "shipping.Shipment",
                ("sender", "recipient", "booking_error"),
                legal_hold="carrier fees and return logistics: kept with the customer's side cleared",
                handling="exported; the customer's name, phone and street cleared",
            ),
            PersonalModel(
                "shipping.TrackingEvent",
                ("raw_payload", "description"),
                handling="exported; payload values naming the person blanked",
            ),
        ),
        not_personal={
            "shipping.Carrier": ("name",),
            # Weight and size of the parcel.
            "shipping.Shipment": ("parcel",),
        },
        export=export,
        anonymize=anonymize,
    )
)
