"""Writing domain events (append-only) and dispatching them to subscribers after commit."""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from haumai.core import clock
from haumai.events.models import Event

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]
_subscribers: list[tuple[str, Handler]] = []


def record_event(
    *,
    name: str,
    customer: Any = None,
    subject: models.Model | None = None,
    actor: Any = None,
    actor_label: str = "",
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append one event; call inside the transaction that makes the change it records."""
    moment = clock.now()
    return Event.objects.create(**_event_fields(name, customer, subject, actor, actor_label, payload, moment))


def record_events(rows: Sequence[dict[str, Any]]) -> int:
    """Append many events at once (bulk import); each row has the keyword arguments of record_event."""
    moment = clock.now()
    events = [
        Event(
            **_event_fields(
                row["name"],
                row.get("customer"),
                row.get("subject"),
                row.get("actor"),
                row.get("actor_label", ""),
                row.get("payload"),
                moment,
            )
        )
        for row in rows
    ]
    Event.objects.bulk_create(events, batch_size=2000)
    return len(events)


def _event_fields(
    name: str,
    customer: Any,
    subject: models.Model | None,
    actor: Any,
    actor_label: str,
    payload: dict[str, Any] | None,
    moment: Any,
) -> dict[str, Any]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return {
        "name": name,
        "occurred_at": moment,
        "customer": customer,
        "subject_type": subject._meta.label_lower if subject is not None else "",
        "subject_id": str(subject.pk) if subject is not None else "",
        "actor": user,
        "actor_label": actor_label or (user.get_username() if user else "system"),
        "payload": payload or {},
        "due_at": moment if _subscribers else None,
    }


def subscribe(pattern: str, handler: Handler) -> None:
    """Call `handler(event)` for every event whose name matches `pattern` (fnmatch, e.g. 'order.*')."""
    _subscribers.append((pattern, handler))


def dispatch_events(events: Sequence[Event]) -> None:
    """Hand claimed events to their subscribers and mark them dispatched (scheduler handler)."""
    for event in events:
        for pattern, handler in _subscribers:
            if fnmatch.fnmatchcase(event.name, pattern):
                handler(event)
    Event.objects.filter(pk__in=[e.pk for e in events]).update(dispatched_at=clock.now(), due_at=None)


def reassign_customer_events(*, source: Any, target: Any) -> int:
    """Move the timeline of `source` to `target` (customer merge): the events stay as written, only their owner."""
    return Event.objects.filter(customer=source).update(customer=target)
