"""Personal data held by returns: the customer's note, pickup name/phone/address, bank account for a
transfer refund, staff notes about the case, and photos (haumai.privacy). Returns stay after a deletion
(they carry refunds and stock moves) with these fields cleared and photos removed."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haumai.privacy.registry import (
    ExportPart,
    Person,
    PersonalDataSource,
    PersonalModel,
    RetentionRule,
    register,
    rows,
)
from haumai.privacy.scrub import REDACTED
from haumai.returns.models import Inspection, ReturnLine, ReturnPhoto, ReturnRequest, Status

FINISHED = (
    Status.REJECTED,
    Status.REFUNDED,
    Status.EXCHANGED,
    Status.REPAIRED,
    Status.STORE_CREDITED,
    Status.RETURNED_TO_CUSTOMER,
    Status.CLOSED,
    Status.CANCELLED,
)

REQUEST_FIELDS = (
    "code",
    "order__code",
    "status",
    "reason",
    "resolution",
    "logistics",
    "customer_note",
    "pickup_name",
    "pickup_phone",
    "pickup_street",
    "pickup_ward_code",
    "pickup_province_code",
    "pickup_from",
    "pickup_to",
    "bank_account",
    "decision_note",
    "refund_amount",
    "refund_code",
    "requested_at",
    "resolved_at",
)


def export(person: Person) -> ExportPart:
    """The person's returns, their lines, inspections and photos (the image files go into the ZIP)."""
    requests = ReturnRequest.objects.filter(customer=person.customer).order_by("requested_at", "id")
    photos = [
        photo
        for photo in ReturnPhoto.objects.filter(request__customer=person.customer).select_related("request")
        if photo.file and os.path.exists(photo.file.path)
    ]
    named = [
        (photo, f"returns/photos/{photo.request.code}-{photo.pk}{os.path.splitext(photo.file.name)[1]}")
        for photo in photos
    ]
    return ExportPart(
        tables={
            "returns.returnrequest": rows(requests, REQUEST_FIELDS),
            "returns.returnline": rows(
                ReturnLine.objects.filter(request__customer=person.customer).order_by("request_id", "id"),
                ("request__code", "product__sku", "unit__serial", "quantity", "unit_price", "condition"),
            ),
            "returns.inspection": rows(
                Inspection.objects.filter(line__request__customer=person.customer).order_by("id"),
                ("line__request__code", "quantity", "grade", "disposition", "notes", "inspected_at"),
            ),
            "returns.returnphoto": [
                {"return": photo.request.code, "file": name, "uploaded_at": photo.uploaded_at.isoformat()}
                for photo, name in named
            ],
        },
        files=[(name, photo.file.path) for photo, name in named],
    )


def _delete_photos(photos: Any) -> int:
    photos = list(photos)
    names = [photo.file.name for photo in photos if photo.file]
    storage = photos[0].file.storage if photos else None
    count = ReturnPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()[0]

    def remove_files() -> None:
        for name in names:
            if storage is not None and storage.exists(name):
                storage.delete(name)

    # Files go only once the rows are gone for good (a rollback keeps both).
    transaction.on_commit(remove_files)
    return count


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear notes, pickup contact, bank account; remove photos. The returns themselves stay."""
    requests = ReturnRequest.objects.filter(customer=person.customer)
    cleared = requests.update(
        customer_note=REDACTED,
        pickup_name=REDACTED,
        pickup_phone=REDACTED,
        pickup_street=REDACTED,
        pickup_ward_code=REDACTED,
        bank_account={},
        override_note=REDACTED,
        decision_note=REDACTED,
        problem=REDACTED,
    )
    inspections = Inspection.objects.filter(line__request__customer=person.customer).update(notes=REDACTED)
    photos = _delete_photos(ReturnPhoto.objects.filter(request__customer=person.customer))
    return {"returns.returnrequest": cleared, "returns.inspection": inspections, "returns.returnphoto": photos}


def purge_photos(cutoff: dt.datetime) -> int:
    """Photos of finished returns uploaded before the cutoff."""
    return _delete_photos(
        ReturnPhoto.objects.filter(uploaded_at__lt=cutoff, request__status__in=FINISHED).order_by("id")[:5000]
    )


register(
    PersonalDataSource(
        app="returns",
        models=(
            PersonalModel(
                "returns.ReturnRequest",
                (
                    "customer_note",
                    "pickup_name",
                    "pickup_phone",
                    "pickup_street",
                    "bank_account",
                    "override_note",
                    "decision_note",
                ),
                legal_hold="a return carries its refund and stock moves: kept with these fields cleared",
                handling="exported; notes, pickup contact and bank account cleared",
            ),
            PersonalModel("returns.Inspection", ("notes",), handling="exported; notes cleared"),
            PersonalModel(
                "returns.ReturnPhoto", ("file",), handling="exported (files in the ZIP); deleted with the files"
            ),
        ),
        not_personal={
            "returns.ReturnPolicy": (
                "name", "allowed_reasons", "allowed_conditions", "allowed_resolutions", "exchange_for_other",
            ),
            # Eligibility notes are codes with parameters ({code, params}) computed from the policy.
            "returns.ReturnLine": ("notes",),
        },
        export=export,
        anonymize=anonymize,
        retention=(
            RetentionRule(
                key="returns.photos",
                label=_("Photos of finished returns"),
                setting="HAUMAI_RETENTION_RETURN_PHOTOS_DAYS",
                default_days=365,
                purge=purge_photos,
            ),
        ),
    )
)
