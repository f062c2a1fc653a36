"""Personal data held by repairs (haumai.privacy): the customer's description of the fault, intake
photos (may show the owner's data on screen), the condition and staff notes. Repair orders stay after a
deletion (they carry costs, stock moves and the unit's service history) with these cleared."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED
from haumai.repairs.models import LoanDevice, RepairOrder, RepairPhoto, RepairStateChange

ORDER_FIELDS = (
    "code",
    "unit__serial",
    "status",
    "service_center__name",
    "description",
    "condition",
    "accessories",
    "diagnosis",
    "received_at",
    "promised_at",
    "returned_at",
    "service_days",
    "outcome",
    "goodwill_vnd",
    "goodwill_reason",
)


def export(person: Person) -> ExportPart:
    """The person's repair orders, their history and loan devices."""
    customer = person.customer
    return ExportPart(
        tables={
            "repairs.repairorder": rows(RepairOrder.objects.filter(customer=customer).order_by("id"), ORDER_FIELDS),
            "repairs.repairstatechange": rows(
                RepairStateChange.objects.filter(order__customer=customer).order_by("id"),
                ("order__code", "from_status", "to_status", "at", "note"),
            ),
            "repairs.loandevice": rows(
                LoanDevice.objects.filter(order__customer=customer).order_by("id"),
                ("order__code", "description", "lent_at", "returned_at", "condition_back"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear descriptions, conditions, notes and photos (files removed after commit); the orders stay."""
    customer = person.customer
    orders = RepairOrder.objects.filter(customer=customer)
    photos = list(RepairPhoto.objects.filter(order__customer=customer))
    names = [photo.file.name for photo in photos]
    storage = photos[0].file.storage if photos else None
    cleared = orders.update(
        description=REDACTED,
        condition=REDACTED,
        technician_note=REDACTED,
        qc_note="",
        replacement_note=REDACTED,
        goodwill_reason="",
        goodwill_note="",
        accessories=[],
    )
    notes = RepairStateChange.objects.filter(order__customer=customer).update(note="")
    loans = LoanDevice.objects.filter(order__customer=customer).update(condition_back="")
    deleted, _ = RepairPhoto.objects.filter(order__customer=customer).delete()

    def remove_files() -> None:
        for name in names:
            if storage is not None and storage.exists(name):
                storage.delete(name)

    transaction.on_commit(remove_files)
    return {
        "repairs.repairorder": cleared,
        "repairs.repairstatechange": notes,
        "repairs.loandevice": loans,
        "repairs.repairphoto": deleted,
    }


register(
    PersonalDataSource(
        app="repairs.orders",  # the booking half of this app registers its own source
        models=(
            PersonalModel(
                "repairs.RepairOrder",
                (
                    "description", "condition", "accessories", "technician_note", "qc_note", "replacement_note",
                    "goodwill_reason", "goodwill_note",
                ),
                legal_hold="a repair order is the service record of the unit (costs, stock moves): kept, texts cleared",
                handling="exported; description, condition, accessories and notes (goodwill reasons too) cleared",
            ),
            PersonalModel("repairs.RepairPhoto", ("file",), handling="deleted with the files"),
            PersonalModel("repairs.RepairStateChange", ("note",), handling="exported; notes cleared"),
            PersonalModel("repairs.LoanDevice", ("condition_back",), handling="exported; condition note cleared"),
        ),
        not_personal={
            # Service centres are businesses; quote lines and parts are the retailer's prices and costs.
            "repairs.ServiceCenter": ("name", "address", "province", "ward", "phone", "email"),
            "repairs.RepairOrder": (
                "diagnosis", "outsource_carrier", "outsource_tracking", "outsource_shipment", "outsource_status",
                "outsource_return_shipment", "outsource_return_status", "goodwill_status",
            ),
            "repairs.QuoteLine": ("description",),
            "repairs.LoanDevice": ("description",),
        },
        export=export,
        anonymize=anonymize,
    )
)

# Service centres, appointments, visits and maintenance register from their own subpackage.
from haumai.repairs.booking import privacy as _booking  # noqa: E402, F401
