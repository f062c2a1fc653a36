"""Writes of messaging: queue a message, edit templates (new versions), unsubscribe, webhook fan-out."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError, FieldError, NotFound, ValidationFailed
from haumai.messaging.context import context_for_event
from haumai.messaging.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Template,
    TemplateVersion,
    ZaloCredential,
)
from haumai.messaging.queueing import (
    MessageRequest,
    NoDestination,
    QueueResult,
    TemplateMissing,
    queue_direct_message,
    queue_message,
    queue_messages,
)
from haumai.messaging.rendering import RenderError, render_message
from haumai.messaging.samples import sample_context

__all__ = [
    "MessageRequest",
    "NoDestination",
    "QueueResult",
    "TemplateMissing",
    "context_for_event",
    "create_template",
    "queue_direct_message",
    "queue_message",
    "queue_messages",
    "save_template_version",
    "unsubscribe",
]


def validate_version(
    *, key: str, channel: str, subject: str, body_text: str, body_html: str, provider_template_id: str = ""
) -> list[FieldError]:
    """Problems of a template text against the sample context of its key (empty list when fine)."""
    errors: list[FieldError] = []
    if not body_text.strip():
        errors.append(FieldError("body_text", _("The text is required")))
    if channel == Channel.EMAIL and not subject.strip():
        errors.append(FieldError("subject", _("E-mails need a subject")))
    if channel == Channel.ZNS and not provider_template_id.strip():
        errors.append(FieldError("provider_template_id", _("ZNS messages need the template id registered with Zalo")))
    if errors:
        return errors
    parts = {"subject": subject, "text": body_text, "html": body_html}
    field_of = {"subject": "subject", "text": "body_text", "html": "body_html"}
    try:
        render_message(channel=channel, subject=subject, body_text=body_text, body_html=body_html,
                       context=sample_context(key))
    except RenderError as exc:
        part = exc.part.split("[")[0] or "text"
        field = field_of.get(part, "body_text") if part in parts else "body_text"
        errors.append(FieldError(field, exc.message))
    return errors


def save_template_version(
    *,
    actor: Any,
    template: Template,
    subject: str,
    body_text: str,
    body_html: str = "",
    provider_template_id: str = "",
    note: str = "",
) -> TemplateVersion:
    """Validate and add a new version, which becomes current; earlier deliveries keep theirs."""
    errors = validate_version(
        key=template.key,
        channel=template.channel,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        provider_template_id=provider_template_id,
    )
    if errors:
        raise ValidationFailed(_("The template was not saved"), errors)
    from haumai.events.services import record_event

    with transaction.atomic():
        locked = Template.objects.select_for_update().get(pk=template.pk)
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = TemplateVersion.objects.create(
            template=locked,
            number=last + 1,
            subject=subject.strip(),
            body_text=body_text,
            body_html=body_html,
            provider_template_id=provider_template_id.strip(),
            note=note[:255],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        locked.current_version = version
        locked.save(update_fields=["current_version", "updated_at"])
        record_event(
            name="template.changed",
            subject=locked,
            actor=actor,
            payload={"key": locked.key, "channel": locked.channel, "language": locked.language,
                     "version": version.number},
        )
    template.current_version = version
    return version


def create_template(
    *,
    actor: Any,
    key: str,
    channel: str,
    language: str,
    name: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    provider_template_id: str = "",
) -> Template:
    """Create a template with its first version."""
    errors: list[FieldError] = []
    if not key.strip() or len(key) > 80:
        errors.append(FieldError("key", _("A key of 1 to 80 characters is required")))
    if channel not in Channel.values or channel == Channel.WEBHOOK:
        errors.append(FieldError("channel", _("Unknown channel '%(channel)s'") % {"channel": channel}))
    if language not in ("vi", "en"):
        errors.append(FieldError("language", _("Language must be vi or en")))
    if not errors and Template.objects.filter(key=key, channel=channel, language=language).exists():
        errors.append(FieldError("key", _("This template already exists")))
    errors += validate_version(key=key, channel=channel, subject=subject, body_text=body_text,
                               body_html=body_html, provider_template_id=provider_template_id)
    if errors:
        raise ValidationFailed(_("The template was not saved"), errors)
    with transaction.atomic():
        template = Template.objects.create(key=key.strip(), channel=channel, language=language,
                                           name=name.strip() or key)
        save_template_version(actor=actor, template=template, subject=subject, body_text=body_text,
                              body_html=body_html, provider_template_id=provider_template_id, note="created")
    return template


def unsubscribe(*, token: str) -> dict[str, Any]:
    """Withdraw the consent named in a signed unsubscribe token; return what was withdrawn."""
    from haumai.customers.models import Customer
    from haumai.customers.services import ConsentInput, update_customer
    from haumai.messaging.context import read_unsubscribe_token

    data = read_unsubscribe_token(token)
    customer = Customer.objects.filter(pk=data["customer"]).first()
    if customer is None:
        raise NotFound(_("This link is no longer valid"))
    channel = {"zns": "zalo"}.get(data["channel"], data["channel"])
    update_customer(
        actor=None,
        customer=customer,
        consents=[ConsentInput(purpose=data["purpose"], channel=channel, granted=False, source="unsubscribe_link")],
    )
    return {"customer": customer, "purpose": data["purpose"], "channel": channel}


class SendFailed(DomainError):
    """The provider did not accept a one-off text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message=f"{code}: {message}", code="send_failed", status=502)


def send_text_now(*, destination: str, text: str) -> str:
    """Send a one-off secret text (a login code) by SMS right away; nothing is stored. Returns the provider id.

    Login codes must not sit in the deliveries table (they are secrets) nor wait for the worker, so this
    calls the SMS provider directly, once, and raises SendFailed with the provider's error.
    """
    from haumai.messaging.channels.sms import sms_sender

    probe = Delivery(channel=Channel.SMS, destination=destination, body_text=text, tracking_id=uuid.uuid4().hex,
                     attempt_count=1)
    _, outcome = next(iter(sms_sender().send_batch([probe])))
    if not outcome.sent:
        raise SendFailed(outcome.error_code, outcome.error_message)
    return outcome.provider_message_id


RESOLUTIONS = ("sent", "resend", "give_up")


def resolve_delivery(*, actor: Any, delivery: Delivery, resolution: str, note: str = "") -> Delivery:
    """Settle a delivery whose outcome is unknown after a person checked with the provider."""
    from haumai.core.errors import Conflict
    from haumai.events.services import record_event
    from haumai.messaging.models import AttemptOutcome, DeliveryAttempt

    if resolution not in RESOLUTIONS:
        raise ValidationFailed(_("Choose how to settle the delivery"),
                               [FieldError("resolution", _("One of: sent, resend, give_up"))])
    now = clock.now()
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != DeliveryStatus.UNKNOWN:
            raise Conflict(_("Only deliveries with an unknown outcome can be settled"), code="not_unknown")
        if resolution == "sent":
            locked.status, locked.sent_at, locked.due_at = DeliveryStatus.SENT, now, None
        elif resolution == "resend":
            locked.status, locked.due_at = DeliveryStatus.QUEUED, now
        else:
            locked.status, locked.due_at = DeliveryStatus.GIVEN_UP, None
        locked.save(update_fields=["status", "sent_at", "due_at", "updated_at"])
        who = actor.get_username() if getattr(actor, "is_authenticated", False) else "system"
        DeliveryAttempt.objects.create(
            delivery=locked, number=locked.attempt_count, started_at=now, finished_at=now,
            outcome=AttemptOutcome.SENT if resolution == "sent" else AttemptOutcome.UNKNOWN,
            error_code=f"settled_{resolution}", error_message=f"{who}: {note[:500]}",
        )
        record_event(name="delivery.settled", customer=locked.customer, subject=locked, actor=actor,
                     payload={"delivery": locked.pk, "channel": locked.channel, "resolution": resolution})
    return locked


@transaction.atomic
def connect_zalo_oa(
    *, oa_id: str, app_id: str, access_token: str, refresh_token: str, access_expires_at: Any
) -> ZaloCredential:
    """Store (or replace) the tokens of a Zalo OA after its OAuth consent; the worker refreshes them later."""
    if not oa_id.strip() or not app_id.strip() or not refresh_token.strip():
        raise ValidationFailed(_("A Zalo OA needs its OA id, app id and refresh token"))
    credential, _created = ZaloCredential.objects.update_or_create(
        oa_id=oa_id.strip(),
        defaults={
            "app_id": app_id.strip(),
            "access_token": access_token,
            "refresh_token": refresh_token,
            "access_expires_at": access_expires_at,
            "refreshed_at": clock.now(),
            "is_active": True,
        },
    )
    return credential
