"""Fan-out of domain events to outbound webhook subscriptions (an events subscriber)."""

from __future__ import annotations

import fnmatch
import time
import uuid
from typing import Any

from haumai.core import clock
from haumai.messaging.models import Channel, Delivery, DeliveryStatus, WebhookSubscription

_CACHE_SECONDS = 5.0
_cache: dict[str, Any] = {"at": 0.0, "rows": []}


def _active_subscriptions() -> list[WebhookSubscription]:
    # The table is tiny and read for every event: keep it a few seconds per process.
    if time.monotonic() - _cache["at"] > _CACHE_SECONDS:
        _cache["rows"] = list(WebhookSubscription.objects.filter(is_active=True))
        _cache["at"] = time.monotonic()
    rows: list[WebhookSubscription] = _cache["rows"]
    return rows


def forget_cached_subscriptions() -> None:
    """Re-read subscriptions on the next event (after an admin change, and in tests)."""
    _cache["at"] = 0.0


def event_body(event: Any) -> dict[str, Any]:
    """The JSON document POSTed for one event."""
    return {
        "id": f"evt_{event.pk}",
        "event": event.name,
        "occurred_at": event.occurred_at.isoformat(),
        "customer": event.customer.code if event.customer_id else None,
        "subject": {"type": event.subject_type, "id": event.subject_id} if event.subject_type else None,
        "payload": event.payload or {},
    }


def deliver_event(event: Any) -> None:
    """Queue one webhook Delivery per matching active subscription (idempotent per event and subscription)."""
    matching = [s for s in _active_subscriptions() if any(fnmatch.fnmatchcase(event.name, p) for p in s.patterns())]
    if not matching:
        return
    now = clock.now()
    body = event_body(event)
    Delivery.objects.bulk_create(
        [
            Delivery(
                idempotency_key=f"webhook:{subscription.pk}:{event.pk}",
                customer_id=event.customer_id,
                channel=Channel.WEBHOOK,
                template_key=event.name[:80],
                destination=subscription.url,
                payload=body,
                subscription=subscription,
                status=DeliveryStatus.QUEUED,
                due_at=now,
                tracking_id=uuid.uuid4().hex,
                source=f"event:{event.pk}",
                created_at=now,
            )
            for subscription in matching
        ],
        ignore_conflicts=True,
    )
