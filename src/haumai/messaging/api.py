"""REST API v1: messaging (read-only: deliveries and templates)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.permissions import require
from haumai.messaging.models import Channel, DeliveryStatus
from haumai.messaging.selectors import delivery_list, template_list
from haumai.privacy import audit

router = Router(tags=["messaging"])

MAX_LIMIT = 100


class DeliveryOut(Schema):
    id: int
    created_at: dt.datetime
    channel: str
    purpose: str
    template_key: str
    template_version: int | None
    language: str
    customer_code: str | None
    destination: str
    status: str
    attempt_count: int
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    provider_message_id: str
    last_error_code: str
    last_error_message: str
    source: str


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    limit: int
    offset: int
    next_offset: int | None


class DeliveryFilters(Schema):
    status: str = Field(
        "",
        max_length=20,
        description="queued, claimed, sending, sent, failed, given_up, unknown",
        json_schema_extra=doc.one_of(DeliveryStatus.values, blank=True),
    )
    channel: str = Field(
        "",
        max_length=20,
        description="email, zalo, zns, sms, webhook",
        json_schema_extra=doc.one_of(Channel.values, blank=True),
    )
    customer: str = Field("", max_length=20, description="customer code")
    template_key: str = Field("", max_length=80)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)


class TemplateFilters(Schema):
    channel: str = Field("", max_length=20, json_schema_extra=doc.one_of(Channel.values, blank=True))
    language: str = Field("", max_length=5)
    key: str = Field("", max_length=80)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)


class TemplateOut(Schema):
    id: int
    key: str
    channel: str
    language: str
    name: str
    is_active: bool
    version: int | None
    subject: str
    body_text: str
    body_html: str
    provider_template_id: str
    updated_at: dt.datetime


class TemplatePage(Schema):
    items: list[TemplateOut]
    limit: int
    offset: int
    next_offset: int | None


def _filters_or_error(filters: DeliveryFilters) -> None:
    from haumai.core.errors import FieldError, ValidationFailed

    errors = []
    if filters.status and filters.status not in DeliveryStatus.values:
        errors.append(FieldError("status", f"Unknown status; one of {', '.join(DeliveryStatus.values)}"))
    if filters.channel and filters.channel not in Channel.values:
        errors.append(FieldError("channel", f"Unknown channel; one of {', '.join(Channel.values)}"))
    if errors:
        raise ValidationFailed("Invalid filters", errors)


@router.get("/deliveries", response=DeliveryPage, summary="Deliveries, newest first")
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilters]) -> DeliveryPage:
    """Deliveries filtered by status, channel, customer code and template key (destination masked without PII)."""
    require(request, "messaging.view_delivery")
    _filters_or_error(filters)
    from haumai.accounts.selectors import shown_email, shown_phone

    user = request.user
    rows = list(
        delivery_list(status=filters.status, channel=filters.channel, customer_code=filters.customer.strip(),
                      template_key=filters.template_key)[filters.offset : filters.offset + filters.limit + 1]
    )
    items = []
    for d in rows[: filters.limit]:
        destination = d.destination
        if d.channel == "email":
            destination = shown_email(user, destination)
        elif d.channel in ("sms", "zns"):
            destination = shown_phone(user, destination)
        items.append(
            DeliveryOut(
                id=d.pk, created_at=d.created_at, channel=d.channel, purpose=d.purpose, template_key=d.template_key,
                template_version=d.template_version.number if d.template_version else None, language=d.language,
                customer_code=d.customer.code if d.customer else None, destination=destination, status=d.status,
                attempt_count=d.attempt_count, sent_at=d.sent_at,
                next_attempt_at=d.due_at if d.status in ("queued", "failed") else None,
                provider_message_id=d.provider_message_id, last_error_code=d.last_error_code,
                last_error_message=d.last_error_message, source=d.source,
            )
        )
    audit.contact_shown(request, target="deliveries", page="api", rows=len(items))
    next_offset = filters.offset + filters.limit if len(rows) > filters.limit else None
    return DeliveryPage(items=items, limit=filters.limit, offset=filters.offset, next_offset=next_offset)


@router.get("/templates", response=TemplatePage, summary="Message templates with their current version")
def list_templates(request: HttpRequest, filters: Query[TemplateFilters]) -> TemplatePage:
    """Templates (key x channel x language) with the text of their current version, a page at a time."""
    require(request, "messaging.view_template")
    channel, language, key = filters.channel, filters.language, filters.key
    if channel and channel not in Channel.values:
        from haumai.core.errors import FieldError, ValidationFailed

        raise ValidationFailed("Invalid filters", [FieldError("channel", "Unknown channel")])
    result = []
    found = template_list(channel=channel, language=language[:5], q=key[:80])
    rows = list(found[filters.offset : filters.offset + filters.limit + 1])
    for t in rows[: filters.limit]:
        v = t.current_version
        result.append(
            TemplateOut(
                id=t.pk, key=t.key, channel=t.channel, language=t.language, name=t.name, is_active=t.is_active,
                version=v.number if v else None, subject=v.subject if v else "", body_text=v.body_text if v else "",
                body_html=v.body_html if v else "", provider_template_id=v.provider_template_id if v else "",
                updated_at=t.updated_at,
            )
        )
    next_offset = filters.offset + filters.limit if len(rows) > filters.limit else None
    return TemplatePage(items=result, limit=filters.limit, offset=filters.offset, next_offset=next_offset)
