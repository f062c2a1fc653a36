"""REST API v1: the domain event log (customer timeline, audit)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from haumai.accounts.selectors import can_see_pii
from haumai.core.permissions import require
from haumai.events import selectors
from haumai.events.schemas import EventPage, event_out
from haumai.privacy import audit

router = Router(tags=["events"])
MAX_PAGE = 100


class EventFilters(Schema):
    customer: str = Field("", max_length=20, description="customer code")
    subject_type: str = Field("", max_length=40, description="e.g. sales.order")
    subject_id: str = Field("", max_length=64)
    name: str = Field("", max_length=80, description="exact name, or a prefix ending in * (order.*)")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("", response=EventPage, summary="List events, newest first")
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    user = require(request, "events.view_event")
    rows = list(
        selectors.event_list(
            customer_code=filters.customer,
            subject_type=filters.subject_type,
            subject_id=filters.subject_id,
            name=filters.name,
        )[filters.offset : filters.offset + filters.limit + 1]
    )
    pii = can_see_pii(user)
    audit.contact_shown(request, target="events", page="api", rows=len(rows[: filters.limit]))
    return {
        "items": [event_out(e, pii=pii) for e in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(rows) > filters.limit else None,
    }
