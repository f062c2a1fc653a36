"""Queueing messages: render the current template version for each customer and insert Deliveries.

`queue_messages` does a whole batch in a fixed number of queries, however many requests: one read of
the templates (with their current versions) for every key x channel x language asked, one read of the
idempotency keys already used, one INSERT ... ON CONFLICT DO NOTHING of the new rows and one read of
their ids. `queue_message` (one message) is the same path with a batch of one.

Same idempotency key -> the same Delivery, nothing new (in one batch, across batches, across workers).
Problems are per request: a bad request, a missing template or destination is that item's `error`; a
template that fails to render gives that item a Delivery "given_up" with `last_error_code="template_error"`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError, FieldError, ValidationFailed
from haumai.messaging.context import customer_context, unsubscribe_url
from haumai.messaging.models import Channel, Delivery, DeliveryStatus, Purpose, Template
from haumai.messaging.rendering import RenderError, render_message
from haumai.messaging.selectors import destination_for

FALLBACK_LANGUAGE = "vi"


class TemplateMissing(DomainError):
    """No active template with a version exists for this key and channel."""

    def __init__(self, key: str, channel: str) -> None:
        super().__init__(
            message=_("No template '%(key)s' for channel %(channel)s") % {"key": key, "channel": channel},
            code="template_missing",
            status=422,
        )


class NoDestination(DomainError):
    """The customer has no address on the requested channel."""

    def __init__(self, customer_code: str, channel: str) -> None:
        super().__init__(
            message=_("Customer %(code)s cannot be reached on %(channel)s")
            % {"code": customer_code, "channel": channel},
            code="no_destination",
            status=422,
        )


@dataclass(frozen=True)
class MessageRequest:
    """One message to queue: the arguments of `queue_message`."""

    customer: Any
    template_key: str
    channel: str
    context: dict[str, Any]
    idempotency_key: str
    purpose: str = Purpose.SERVICE
    language: str | None = None
    source: str = ""
    actor: Any = None


@dataclass(frozen=True)
class QueueResult:
    """The Delivery queued (or found by its key) for one request, or why none was."""

    delivery: Delivery | None = None
    error: DomainError | None = None


def _problems(request: MessageRequest) -> ValidationFailed | None:
    errors: list[FieldError] = []
    if request.channel not in Channel.values or request.channel == Channel.WEBHOOK:
        errors.append(FieldError("channel", _("Unknown channel '%(channel)s'") % {"channel": request.channel}))
    if request.purpose not in Purpose.values:
        errors.append(FieldError("purpose", _("Purpose must be service or marketing")))
    if not request.idempotency_key or len(request.idempotency_key) > 200:
        errors.append(FieldError("idempotency_key", _("An idempotency key of 1 to 200 characters is required")))
    return ValidationFailed(_("The message cannot be queued"), errors) if errors else None


def _language(request: MessageRequest) -> str:
    return request.language or request.customer.preferred_language or FALLBACK_LANGUAGE


class _Templates:
    """Active templates with a current version for the batch's keys and channels, read in one query."""

    def __init__(self, requests: Sequence[MessageRequest]) -> None:
        wanted = {(r.template_key, r.channel, lang) for r in requests for lang in (_language(r), FALLBACK_LANGUAGE)}
        self.rows: dict[tuple[str, str, str], Template] = {}
        if not wanted:
            return
        match = Q()
        for key, channel in {(k, c) for k, c, _lang in wanted}:
            match |= Q(key=key, channel=channel)
        languages = {lang for _k, _c, lang in wanted}
        templates = Template.objects.filter(match, language__in=languages, is_active=True).select_related(
            "current_version"
        )
        self.rows = {(t.key, t.channel, t.language): t for t in templates if t.current_version is not None}

    def find(self, key: str, channel: str, language: str) -> Template:
        template = self.rows.get((key, channel, language)) or self.rows.get((key, channel, FALLBACK_LANGUAGE))
        if template is None:
            raise TemplateMissing(key, channel)
        return template


def _build(request: MessageRequest, template: Template, destination: str, now: Any) -> Delivery:
    """A new Delivery with the rendered message (or given up with the render error)."""
    customer, channel, purpose = request.customer, request.channel, request.purpose
    version = template.current_version
    assert version is not None
    full_context = {**request.context}
    links = dict(full_context.get("links") or {})
    links.setdefault("unsubscribe", unsubscribe_url(customer=customer, purpose=purpose, channel=channel))
    full_context["links"] = links
    full_context.setdefault("customer", customer_context(customer))
    full_context.setdefault("payload", {})
    actor = request.actor
    delivery = Delivery(
        idempotency_key=request.idempotency_key,
        customer=customer,
        channel=channel,
        purpose=purpose,
        template_key=request.template_key,
        template_version=version,
        language=template.language,
        destination=destination,
        status=DeliveryStatus.QUEUED,
        due_at=now,
        tracking_id=uuid.uuid4().hex,
        source=request.source[:120],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    try:
        rendered = render_message(
            channel=channel,
            subject=version.subject,
            body_text=version.body_text,
            body_html=version.body_html,
            context=full_context,
        )
    except RenderError as exc:
        # A broken template must not break the caller (a journey, a webhook): record it for staff.
        delivery.status = DeliveryStatus.GIVEN_UP
        delivery.due_at = None
        delivery.last_error_code = "template_error"
        delivery.last_error_message = exc.message
    else:
        delivery.subject = rendered.subject[:255]
        delivery.body_text = rendered.body_text
        delivery.body_html = rendered.body_html
        if rendered.params:
            delivery.payload = {"template_id": version.provider_template_id, "template_data": rendered.params}
        elif channel == Channel.EMAIL:
            delivery.payload = {"unsubscribe_url": links["unsubscribe"]}
    return delivery


def queue_messages(requests: Sequence[MessageRequest]) -> list[QueueResult]:
    """Render and queue a batch of messages in a fixed number of queries; one result per request, in order.

    Checks come in the order of `queue_message`: the request itself, the template, the destination;
    then a key already used returns the Delivery that holds it (nothing is rendered or inserted).
    """
    results: list[QueueResult | None] = [None] * len(requests)
    problems = [_problems(request) for request in requests]
    templates = _Templates([r for r, problem in zip(requests, problems, strict=True) if problem is None])
    checked: list[tuple[int, MessageRequest, Template, str]] = []
    for index, request in enumerate(requests):
        problem = problems[index]
        if problem is not None:
            results[index] = QueueResult(error=problem)
            continue
        try:
            template = templates.find(request.template_key, request.channel, _language(request))
        except TemplateMissing as exc:
            results[index] = QueueResult(error=exc)
            continue
        destination = destination_for(request.customer, request.channel)
        if not destination:
            results[index] = QueueResult(error=NoDestination(request.customer.code, request.channel))
            continue
        checked.append((index, request, template, destination))
    if checked:
        held = _insert_new(checked)
        for index, request, _template, _destination in checked:
            results[index] = QueueResult(delivery=held[request.idempotency_key])
    return [result or QueueResult() for result in results]


def _insert_new(checked: Sequence[tuple[int, MessageRequest, Template, str]]) -> dict[str, Delivery]:
    """The Delivery of every key: found already, or rendered and inserted now (in 2-4 queries)."""
    keys = {request.idempotency_key for _i, request, _t, _d in checked}
    held = {
        d.idempotency_key: d
        for d in Delivery.objects.filter(idempotency_key__in=keys).select_related("template_version")
    }
    now = clock.now()
    new: dict[str, Delivery] = {}
    for _index, request, template, destination in checked:
        key = request.idempotency_key
        if key not in held and key not in new:  # a key twice in one batch: the first request makes it
            new[key] = _build(request, template, destination, now)
    if not new:
        return held
    # INSERT ... ON CONFLICT DO NOTHING (no savepoint needed inside the caller's transaction): a key
    # another worker inserted meanwhile inserts nothing here, and the read below finds that row.
    Delivery.objects.bulk_create(list(new.values()), ignore_conflicts=True)
    stored = {
        key: (pk, tracking)
        for key, pk, tracking in Delivery.objects.filter(idempotency_key__in=list(new)).values_list(
            "idempotency_key", "id", "tracking_id"
        )
    }
    lost = []
    for key, delivery in new.items():
        pk, tracking = stored[key]
        if tracking == delivery.tracking_id:
            delivery.pk = pk
            held[key] = delivery
        else:
            lost.append(key)
    if lost:  # inserted concurrently by someone else: theirs is the Delivery for the key
        held.update(
            (d.idempotency_key, d)
            for d in Delivery.objects.filter(idempotency_key__in=lost).select_related("template_version")
        )
    return held


def queue_message(
    *,
    customer: Any,
    template_key: str,
    channel: str,
    context: dict[str, Any],
    idempotency_key: str,
    purpose: str = Purpose.SERVICE,
    language: str | None = None,
    source: str = "",
    actor: Any = None,
) -> Delivery:
    """Render the current template version for the customer and queue it; same key -> same Delivery.

    Raises ValidationFailed, TemplateMissing or NoDestination (the error of `queue_messages`' one result).
    """
    request = MessageRequest(
        customer=customer,
        template_key=template_key,
        channel=channel,
        context=context,
        idempotency_key=idempotency_key,
        purpose=purpose,
        language=language,
        source=source,
        actor=actor,
    )
    (result,) = queue_messages([request])
    if result.error is not None:
        raise result.error
    assert result.delivery is not None
    return result.delivery


def queue_direct_message(
    *,
    customer: Any,
    channel: str,
    destination: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    headers: dict[str, str] | None = None,
    idempotency_key: str,
    source: str = "",
    actor: Any = None,
) -> Delivery:
    """Queue a message written by a person (a support reply), not rendered from a template; same key -> same row.

    `headers` are extra e-mail headers (Message-ID, In-Reply-To, References) so the customer's client threads it.
    """
    if channel not in (Channel.EMAIL, Channel.ZALO):
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("channel", _("Unsupported channel"))])
    now = clock.now()
    delivery, _created = Delivery.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "customer": customer,
            "channel": channel,
            "purpose": Purpose.SERVICE,
            "destination": destination,
            "subject": subject[:255],
            "body_text": body_text,
            "body_html": body_html,
            "payload": {"headers": dict(headers or {})},
            "status": DeliveryStatus.QUEUED,
            "due_at": now,
            "tracking_id": uuid.uuid4().hex,
            "source": source[:120],
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            "created_at": now,
        },
    )
    return delivery
