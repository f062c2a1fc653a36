"""Personal data held by messaging: each delivery's destination (phone, e-mail, Zalo id), the rendered
text, template data and provider errors, and each attempt's error (haumai.privacy). Deliveries stay as
counts (channel, status, times) after a deletion or once their bodies expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haumai.messaging.models import Delivery, DeliveryAttempt, DeliveryStatus
from haumai.privacy.registry import (
    ExportPart,
    Person,
    PersonalDataSource,
    PersonalModel,
    RetentionRule,
    register,
    rows,
)
from haumai.privacy.scrub import REDACTED, scrub_text

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.GIVEN_UP)
PENDING = (DeliveryStatus.QUEUED, DeliveryStatus.FAILED)
BATCH = 5000


def _deliveries(person: Person) -> Any:
    match = Q(customer=person.customer)
    if person.identifiers:
        match |= Q(destination__in=sorted(person.identifiers))
    return Delivery.objects.filter(match)


def export(person: Person) -> ExportPart:
    """Every message sent (or to be sent) to the person, with its text."""
    deliveries = _deliveries(person).order_by("created_at", "id")
    return ExportPart(
        tables={
            "messaging.delivery": rows(
                deliveries,
                (
                    "channel",
                    "purpose",
                    "template_key",
                    "destination",
                    "subject",
                    "body_text",
                    "status",
                    "created_at",
                    "sent_at",
                ),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Blank destinations, texts and template data; stop what was still waiting to be sent."""
    with transaction.atomic():
        ids = list(_deliveries(person).values_list("id", flat=True))
        Delivery.objects.filter(pk__in=ids, status__in=PENDING).update(
            status=DeliveryStatus.GIVEN_UP, due_at=None, last_error_code="erased"
        )
        count = Delivery.objects.filter(pk__in=ids).update(
            destination=REDACTED, subject=REDACTED, body_text=REDACTED, body_html=REDACTED, payload={}
        )
        for delivery in (
            Delivery.objects.filter(pk__in=ids).exclude(last_error_message="").only("id", "last_error_message")
        ):
            delivery.last_error_message = scrub_text(delivery.last_error_message, person)
            delivery.save(update_fields=["last_error_message"])
        attempts = 0
        for attempt in (
            DeliveryAttempt.objects.filter(delivery_id__in=ids).exclude(error_message="").only("id", "error_message")
        ):
            attempt.error_message = scrub_text(attempt.error_message, person)
            attempt.save(update_fields=["error_message"])
            attempts += 1
    return {"messaging.delivery": count, "messaging.deliveryattempt": attempts}


def purge_bodies(cutoff: dt.datetime) -> int:
    """Blank the text and template data of finished deliveries created before the cutoff."""
    ids = list(
        Delivery.objects.filter(created_at__lt=cutoff, status__in=FINISHED)
        .exclude(body_text="", body_html="", payload={})
        .values_list("id", flat=True)[:BATCH]
    )
    return Delivery.objects.filter(pk__in=ids).update(body_text=REDACTED, body_html=REDACTED, payload={})


def purge_attempts(cutoff: dt.datetime) -> int:
    """Delete provider call records of finished deliveries, started before the cutoff."""
    ids = list(
        DeliveryAttempt.objects.filter(started_at__lt=cutoff, delivery__status__in=FINISHED).values_list(
            "id", flat=True
        )[:BATCH]
    )
    return DeliveryAttempt.objects.filter(pk__in=ids).delete()[0]


register(
    PersonalDataSource(
        app="messaging",
        models=(
            PersonalModel(
                "messaging.Delivery",
                ("destination", "subject", "body_text", "body_html", "payload", "last_error_message"),
                legal_hold="kept as a count of messages sent (channel, status, time) with the content blanked",
                handling="exported; destination, text and template data blanked",
            ),
            PersonalModel("messaging.DeliveryAttempt", ("error_message",), handling="provider errors scrubbed"),
        ),
        not_personal={
            # Templates are the shop's wording with placeholders, not anyone's message.
            "messaging.Template": ("name",),
            "messaging.TemplateVersion": ("subject", "body_text", "body_html", "note"),
            "messaging.WebhookSubscription": ("name",),
            # The provider's id for a message it accepted (no personal data in it).
            "messaging.Delivery": ("provider_message_id",),
            "messaging.DeliveryAttempt": ("provider_message_id",),
            # OAuth tokens of the shop's Zalo Official Account (secrets, not personal data).
            "messaging.ZaloCredential": ("access_token", "refresh_token"),
        },
        export=export,
        anonymize=anonymize,
        retention=(
            RetentionRule(
                key="messaging.bodies",
                label=_("Text of sent messages"),
                setting="HAUMAI_RETENTION_MESSAGE_BODIES_DAYS",
                default_days=180,
                purge=purge_bodies,
            ),
            RetentionRule(
                key="messaging.attempts",
                label=_("Delivery attempts"),
                setting="HAUMAI_RETENTION_DELIVERY_ATTEMPTS_DAYS",
                default_days=90,
                purge=purge_attempts,
            ),
        ),
    )
)
