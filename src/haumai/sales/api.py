"""REST API v1: orders (idempotent push by channel + external id, status changes, keyset list)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.accounts.selectors import can_see_pii
from haumai.core import openapi as doc
from haumai.core.errors import FieldError, ValidationFailed
from haumai.core.permissions import require
from haumai.core.phone import mask_phone
from haumai.privacy import audit
from haumai.sales import push, selectors, services
from haumai.sales.models import OrderStatus
from haumai.sales.schemas import OrderIn, OrderOut, OrderPage, StatusIn, order_out

router = Router(tags=["orders"])
MAX_PAGE = 100


def encode_cursor(placed_at: dt.datetime, order_id: int) -> str:
    """An opaque cursor for the keyset (placed_at, id)."""
    raw = f"{placed_at.astimezone(dt.UTC).isoformat()}|{order_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    """Read a cursor made by encode_cursor, or raise ValidationFailed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _sep, order_id = raw.partition("|")
        placed_at = dt.datetime.fromisoformat(moment)
        if placed_at.tzinfo is None:
            raise ValueError("naive")
        return placed_at, int(order_id)
    except ValueError as exc:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("cursor", _("Invalid cursor; use next_cursor from the previous page"), "invalid_cursor")],
        ) from exc


class OrderFilters(Schema):
    customer: str = Field("", max_length=20, description="customer code")
    status: str = Field("", max_length=20, json_schema_extra=doc.one_of(OrderStatus.values, blank=True))
    channel: str = Field("", max_length=40, description="channel code")
    placed_from: doc.ClientDateTime | None = Field(None, description="inclusive")
    placed_to: doc.ClientDateTime | None = Field(None, description="exclusive")
    cursor: str = Field("", max_length=200, json_schema_extra=doc.token("next_cursor of the previous page"))
    limit: int = Field(20, ge=1, le=MAX_PAGE)


@router.get("", response=OrderPage, summary="List orders, newest first (cursor pagination)")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> dict[str, Any]:
    user = require(request, "sales.view_order")
    rows = selectors.order_rows(
        customer_code=filters.customer,
        status=filters.status,
        channel=filters.channel,
        placed_from=filters.placed_from,
        placed_to=filters.placed_to,
        after=decode_cursor(filters.cursor) if filters.cursor else None,
        limit=filters.limit,
    )
    page = rows[: filters.limit]
    if not can_see_pii(user):
        for row in page:
            phone = row["customer"]["phone"]
            row["customer"]["phone"] = mask_phone(phone) if phone else None
    audit.contact_shown(request, target="orders", page="api", rows=len(page))
    last = page[-1] if page else None
    next_cursor = encode_cursor(last["placed_at"], last["id"]) if last and len(rows) > filters.limit else None
    return {"items": page, "next_cursor": next_cursor}


@router.get("/{code}", response=OrderOut, summary="Get an order by code")
def get_order(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "sales.view_order")
    order = selectors.order_by_code(code)
    audit.contact_shown(request, customer=order.customer, target=order.code, page="api")
    return order_out(order, pii=can_see_pii(user))


@router.post(
    "",
    response={200: OrderOut, 201: OrderOut},
    summary="Push an order (idempotent by channel + external_id: a replay returns the stored order)",
)
def push_order(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    user = require(request, "sales.add_order")
    order, created = push.push_order(actor=user, payload=payload)
    return Status(201 if created else 200, order_out(selectors.order_by_code(order.code), pii=can_see_pii(user)))


@router.post("/{code}/status", response=OrderOut, summary="Change an order's status")
def change_status(request: HttpRequest, code: str, payload: StatusIn) -> dict[str, Any]:
    user = require(request, "sales.change_order")
    order = selectors.order_by_code(code)
    services.change_order_status(actor=user, order=order, status=payload.status, at=payload.at)
    return order_out(selectors.order_by_code(code), pii=can_see_pii(user))
