"""API shapes for domain events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

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


def event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "name": event.name,
        "occurred_at": event.occurred_at,
        "customer_code": event.customer.code if event.customer else None,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "actor": event.actor_label,
        "payload": event.payload,
    }
