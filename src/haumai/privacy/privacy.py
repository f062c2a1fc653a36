"""The privacy app's own personal data: what people wrote in their requests (haumai.privacy).
Requests stay after a deletion as proof that it was carried out; their free text is cleared."""

from __future__ import annotations

from haumai.privacy.models import DataRequest, ProcessingRestriction
from haumai.privacy.registry import SUBJECT_STAFF, ExportPart, Person, PersonalDataSource, PersonalModel, register, rows


def export(person: Person) -> ExportPart:
    """The person's requests about their data."""
    return ExportPart(
        tables={
            "privacy.datarequest": rows(
                DataRequest.objects.filter(customer=person.customer).order_by("received_at", "id"),
                ("code", "kind", "status", "origin", "details", "received_at", "due_at", "completed_at", "result_note"),
            ),
            "privacy.processingrestriction": rows(
                ProcessingRestriction.objects.filter(customer=person.customer).order_by("set_at", "id"),
                ("purposes", "evidence", "set_at", "lifted_at", "lift_reason"),
            ),
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
            PersonalModel(
                "privacy.ProcessingRestriction",
                ("evidence", "lift_reason"),
                legal_hold="proof of what processing the person restricted, and since when",
                handling="exported; evidence and lift reason cleared on deletion (privacy.services.erase_customer)",
            ),
            PersonalModel(
                "privacy.AccessLog",
                ("actor_label", "ip_address", "user_agent"),
                subject=SUBJECT_STAFF,
                legal_hold="the record of who looked at personal data is itself the protection of it",
                handling="kept; the customer link stays on the anonymized customer; names no customer",
            ),
        ),
        not_personal={
            "privacy.RetentionSchedule": ("last_counts",),
            # Purpose keys (RestrictionPurpose values), and the staff member's user name who set it.
            "privacy.ProcessingRestriction": ("purposes", "set_by_label"),
            # Counts and filters only (record_access callers pass codes, never the values shown).
            "privacy.AccessLog": ("detail",),
            # Describes a breach, not a person: staff are told to name no one (affected people are links).
            "privacy.Incident": ("title", "description", "measures"),
        },
        export=export,
    )
)
