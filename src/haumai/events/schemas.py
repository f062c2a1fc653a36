"""API shapes for domain events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from haumai.core.phone import mask_phone
from haumai.core.text import mask_email
from haumai.events.models import Event


class EventOut(BaseModel):
    id: int
    name: str
    occurred_at: dt.datetime
    customer_code: str | None
    subject_type: str
    subject_id: str
    actor: str
    payload: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventOut]
    limit: int
    offset: int
    next_offset: int | None


def masked_payload(value: Any) -> Any:
    """The payload with phone numbers and e-mail addresses masked (for readers without PII rights)."""
    if isinstance(value, dict):
        return {
            key: _mask_value(key, item) if isinstance(item, str) else masked_payload(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [masked_payload(item) for item in value]
    return value


def _mask_value(key: str, value: str) -> str:
    lowered = key.lower()
    if "email" in lowered and "@" in value:
        return mask_email(value)
    if "phone" in lowered and value:
        return mask_phone(value)
    return value


def event_out(event: Event, *, pii: bool = True) -> dict[str, Any]:
    """One event; payload phones/e-mails masked when the reader may not see personal data."""
    return {
        "id": event.pk,
        "name": event.name,
        "occurred_at": event.occurred_at,
        "customer_code": event.customer.code if event.customer else None,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "actor": event.actor_label,
        "payload": event.payload if pii else masked_payload(event.payload),
    }
