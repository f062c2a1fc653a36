"""Personal data held by warranty (haumai.privacy): the phone typed at activation, the purchase-proof
photo, staff notes on voids and extensions, and the customer's description of a claim. Warranties,
plans and claims stay after a deletion (they carry money and the unit's history) with these cleared."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED
from haumai.warranty.models import Claim, ExtendedCoverage, Warranty, WarrantyExtension

WARRANTY_FIELDS = (
    "code",
    "unit__serial",
    "unit__imei",
    "status",
    "starts_on",
    "ends_on",
    "activation_phone",
    "activated_at",
    "void_reason",
    "void_note",
)


def export(person: Person) -> ExportPart:
    """The person's warranties, extensions, extended plans and claims."""
    customer = person.customer
    return ExportPart(
        tables={
            "warranty.warranty": rows(Warranty.objects.filter(customer=customer).order_by("id"), WARRANTY_FIELDS),
            "warranty.warrantyextension": rows(
                WarrantyExtension.objects.filter(warranty__customer=customer).order_by("id"),
                ("warranty__code", "kind", "days", "reference", "note"),
            ),
            "warranty.extendedcoverage": rows(
                ExtendedCoverage.objects.filter(customer=customer).order_by("id"),
                ("code", "plan__name", "warranty__code", "status", "price_paid", "starts_on", "ends_on"),
            ),
            "warranty.claim": rows(
                Claim.objects.filter(warranty__customer=customer).order_by("id"),
                ("code", "warranty__code", "status", "resolution", "description", "decision_note"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear the activation phone, proof photos, notes and claim descriptions; the records stay."""
    customer = person.customer
    warranties = Warranty.objects.filter(customer=customer)
    photos = [w.proof_photo for w in warranties if w.proof_photo]
    names = [photo.name for photo in photos]
    storage = photos[0].storage if photos else None
    cleared = warranties.update(activation_phone="", proof_photo="", void_note=REDACTED)
    extensions = WarrantyExtension.objects.filter(warranty__customer=customer).update(note=REDACTED)
    claims = Claim.objects.filter(warranty__customer=customer).update(description=REDACTED, decision_note=REDACTED)

    def remove_files() -> None:
        for name in names:
            if storage is not None and storage.exists(name):
                storage.delete(name)

    transaction.on_commit(remove_files)
    return {"warranty.warranty": cleared, "warranty.warrantyextension": extensions, "warranty.claim": claims}


register(
    PersonalDataSource(
        app="warranty",
        models=(
            PersonalModel(
                "warranty.Warranty",
                ("activation_phone", "proof_photo", "void_note"),
                legal_hold="a warranty is the unit's service record: kept with these fields cleared",
                handling="exported; phone, proof photo (file removed) and note cleared",
            ),
            PersonalModel("warranty.WarrantyExtension", ("note",), handling="exported; note cleared"),
            PersonalModel(
                "warranty.Claim",
                ("description", "decision_note"),
                legal_hold="a claim may carry a replacement or refund: kept with the texts cleared",
                handling="exported; description and decision note cleared",
            ),
            PersonalModel(
                "warranty.ExtendedCoverage",
                ("external_id",),
                legal_hold="a paid plan is an accounting record",
                handling="exported; the POS reference is not personal once the customer is anonymized",
            ),
        ),
        not_personal={
            # Policies and plans are the retailer's terms; the service network is a business.
            "warranty.WarrantyPolicy": (
                "name", "coverage_vi", "coverage_en", "exclusions_vi", "exclusions_en",
                "service_name", "service_address", "service_phone",
            ),
            "warranty.WarrantyPolicyComponent": ("name_vi", "name_en"),
            "warranty.ExtendedPlan": ("name", "coverage_vi", "coverage_en"),
            # A snapshot of the policy's terms at sale time; coverage reasons are codes with parameters.
            "warranty.Warranty": ("terms",),
            "warranty.Claim": ("notes",),
        },
        export=export,
        anonymize=anonymize,
    )
)
