"""Personal data held by events: the payloads (haumai.privacy). The event table is the audit trail, so
events stay after a deletion; their payloads are scrubbed of anything that names the person."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from haumai.events.models import Event
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import scrub

BATCH = 2000


def _events(person: Person) -> Any:
    match = Q(customer=person.customer)
    # Events about the person recorded without the customer link (a login by phone, an import row):
    # found by their unique identifiers in the payload text. A full scan, acceptable for a rare request.
    for identifier in sorted(person.identifiers):
        match |= Q(payload_text__contains=identifier)
    return Event.objects.annotate(payload_text=Cast("payload", TextField())).filter(match)


def export(person: Person) -> ExportPart:
    """The person's timeline (event names, times and payloads)."""
    return ExportPart(
        tables={
            "events.event": rows(
                _events(person).order_by("occurred_at", "id"),
                ("name", "occurred_at", "subject_type", "subject_id", "actor_label", "payload"),
            )
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Scrub the payloads of the person's events (names, phones, e-mails, addresses, notes)."""
    changed = 0
    with transaction.atomic():
        ids = list(_events(person).values_list("id", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = list(Event.objects.filter(pk__in=ids[start : start + BATCH]).only("id", "payload"))
            dirty = []
            for event in batch:
                cleaned = scrub(event.payload, person)
                if cleaned != event.payload:
                    event.payload = cleaned
                    dirty.append(event)
            Event.objects.bulk_update(dirty, ["payload"])
            changed += len(dirty)
    return {"events.event": changed}


register(
    PersonalDataSource(
        app="events",
        models=(
            PersonalModel(
                "events.Event",
                ("payload",),
                legal_hold="the audit trail: events stay with their payloads scrubbed",
                handling="exported; payload values naming the person blanked",
            ),
        ),
        # An event's name is its type ("return.approved").
        not_personal={"events.Event": ("name",)},
        export=export,
        anonymize=anonymize,
        order=950,  # after every app (their hooks may record events) and after the customer record
    )
)
