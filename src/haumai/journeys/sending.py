"""The one seam between journeys and messaging: who is reachable, template context, queueing a message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from haumai.core.errors import DomainError

# Delivery states that mean the customer did not get the message.
NOT_DELIVERED = {"given_up"}


class SendRefused(Exception):
    """Messaging refused a send; `reason` is a journeys Reason code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def reachable_channels(customer: Any) -> list[str]:
    """Channels messaging has a destination for."""
    from haumai.messaging import selectors

    return list(selectors.reachable_channels(customer))


def template_exists(template_key: str) -> bool:
    """Whether messaging has a template with this key (used to validate journeys)."""
    from haumai.messaging.models import Template

    return Template.objects.filter(key=template_key).exists()


def known_template_keys() -> list[str]:
    """All template keys, for the journey builder's choices."""
    from haumai.messaging.models import Template

    return sorted(Template.objects.values_list("key", flat=True).distinct())


# Links that must not sit in an event payload (a signed token answers a quote, cancels a visit ...): the
# owning app registers a builder per event name and the link is made only when the message is prepared.
LinkBuilder = Callable[[Any], dict[str, str]]
_link_builders: dict[str, LinkBuilder] = {}


def register_links(event_name: str, builder: LinkBuilder) -> None:
    """Add `links.*` built at send time to the context of messages about `event_name`."""
    _link_builders[event_name] = builder


def context_for(event: Any) -> dict[str, Any]:
    """Template context for a (possibly unsaved) event, with the registered send-time links."""
    from haumai.messaging import services

    context = dict(services.context_for_event(event))
    builder = _link_builders.get(getattr(event, "name", ""))
    if builder is not None:
        context["links"] = {**(context.get("links") or {}), **builder(event)}
    return context


@dataclass(frozen=True)
class SendRequest:
    """One message a send step asks messaging to queue."""

    customer: Any
    template_key: str
    channel: str
    context: dict[str, Any]
    idempotency_key: str
    purpose: str
    source: str


def _refusal(error: DomainError) -> SendRefused:
    from haumai.messaging import services

    if isinstance(error, services.TemplateMissing):
        return SendRefused("template_missing", str(error))
    if isinstance(error, services.NoDestination):
        return SendRefused("no_reachable_channel", str(error))
    return SendRefused("send_refused", str(error))


@dataclass(frozen=True)
class NotDelivered:
    """Messaging kept the message but gave up on it at once (e.g. its template does not render)."""

    delivery_id: int
    error: str


def queue_many(requests: Sequence[SendRequest]) -> list[int | SendRefused | NotDelivered]:
    """Queue a batch of messages in one messaging call: per request the Delivery id, or why it was refused.

    Same idempotency key -> the same Delivery, nothing new (within the batch and across batches).
    """
    from haumai.messaging import services

    results = services.queue_messages(
        [
            services.MessageRequest(
                customer=r.customer,
                template_key=r.template_key,
                channel=r.channel,
                context=r.context,
                idempotency_key=r.idempotency_key,
                purpose=r.purpose,
                source=r.source,
            )
            for r in requests
        ]
    )
    answers: list[int | SendRefused | NotDelivered] = []
    for result in results:
        if result.error is not None:
            answers.append(_refusal(result.error))
        else:
            assert result.delivery is not None
            delivery = result.delivery
            if delivery.status in NOT_DELIVERED:
                error = delivery.last_error_message or delivery.last_error_code
                answers.append(NotDelivered(delivery_id=int(delivery.pk), error=error))
            else:
                answers.append(int(delivery.pk))
    return answers


def queue(
    *,
    customer: Any,
    template_key: str,
    channel: str,
    context: dict[str, Any],
    idempotency_key: str,
    purpose: str,
    source: str,
) -> int:
    """Queue one message; return the Delivery id. Same idempotency key -> the same Delivery, nothing new."""
    request = SendRequest(
        customer=customer,
        template_key=template_key,
        channel=channel,
        context=context,
        idempotency_key=idempotency_key,
        purpose=purpose,
        source=source,
    )
    (answer,) = queue_many([request])
    if isinstance(answer, SendRefused):
        raise answer
    if isinstance(answer, NotDelivered):
        return answer.delivery_id
    return answer


def delivery_states(delivery_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """(status, error code, error message) of the given Deliveries."""
    from haumai.messaging import selectors

    return selectors.delivery_states(delivery_ids)
