"""The privacy app's own personal data: what people wrote in their requests (haumai.privacy).
Requests stay after a deletion as proof that it was carried out; their free text is cleared."""

from __future__ import annotations

from haumai.privacy.models import DataRequest
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows


def export(person: Person) -> ExportPart:
    """The person's requests about their data."""
    return ExportPart(
        tables={
            "privacy.datarequest": rows(
                DataRequest.objects.filter(customer=person.customer).order_by("received_at", "id"),
                ("code", "kind", "status", "origin", "details", "received_at", "due_at", "completed_at", "result_note"),
            )
        }
    )


register(
    PersonalDataSource(
        app="privacy",
        models=(
            PersonalModel(
                "privacy.DataRequest",
                ("details", "verification_note", "result_note"),
                legal_hold="proof that the person's request was handled, and when",
                handling="exported; free text cleared on deletion (by privacy.services.erase_customer)",
            ),
        ),
        not_personal={"privacy.RetentionSchedule": ("last_counts",)},
        export=export,
    )
)
