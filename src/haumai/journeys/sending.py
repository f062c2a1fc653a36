"""The one seam between journeys and messaging: who is reachable, template context, queueing a message."""

from __future__ import annotations

from typing import Any

from haumai.core.errors import DomainError


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


def context_for(event: Any) -> dict[str, Any]:
    """Template context for a (possibly unsaved) event."""
    from haumai.messaging import services

    return dict(services.context_for_event(event))


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
    from haumai.messaging import services

    try:
        delivery = services.queue_message(
            customer=customer,
            template_key=template_key,
            channel=channel,
            context=context,
            idempotency_key=idempotency_key,
            purpose=purpose,
            source=source,
        )
    except services.TemplateMissing as exc:
        raise SendRefused("template_missing", str(exc)) from exc
    except services.NoDestination as exc:
        raise SendRefused("no_reachable_channel", str(exc)) from exc
    except DomainError as exc:
        raise SendRefused("send_refused", str(exc)) from exc
    return int(delivery.pk)
