"""REST API v1: shipments (list, get by code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.accounts.selectors import can_see_pii, shown_phone
from haumai.core import openapi as doc
from haumai.core.errors import NotFound
from haumai.core.permissions import require
from haumai.privacy import audit
from haumai.shipping import selectors
from haumai.shipping.models import Shipment
from haumai.shipping.services.outbound import register_outbound

router = Router(tags=["shipping"])
API_CARRIERS = ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")
MAX_PAGE = 100


class ShipmentOut(Schema):
    code: str
    carrier: str
    direction: str
    status: str
    raw_status: str
    tracking_code: str
    label_url: str
    label_text: str
    fee: int | None
    reference: str
    customer_code: str | None
    cod_amount: int
    pickup_from: dt.datetime | None
    pickup_until: dt.datetime | None
    booking_attempts: int
    booking_error: str
    booking_failed_at: dt.datetime | None
    booked_at: dt.datetime | None
    last_tracking_at: dt.datetime | None
    delayed_at: dt.datetime | None
    created_at: dt.datetime


class TrackingEventOut(Schema):
    raw_code: str
    mapped_status: str
    applied: bool
    description: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    source: str


class ShipmentDetailOut(ShipmentOut):
    sender: dict[str, Any]
    recipient: dict[str, Any]
    parcel: dict[str, Any]
    tracking: list[TrackingEventOut]


class ShipmentPage(Schema):
    items: list[ShipmentOut]
    limit: int
    offset: int
    next_offset: int | None


class ShipmentFilters(Schema):
    status: str = Field("", max_length=20, description="created, pickup_scheduled, picked_up, ... lost")
    carrier: str = Field(
        "", max_length=20, description="ghn, ghtk, viettel_post, jt, ninjavan, own_fleet, store_dropoff"
    )
    reference: str = Field("", max_length=40, description="business code, e.g. RMA-2026-000123, or a SHP- code")
    booking_failed: doc.QueryBoolean = Field(False, description="only shipments whose booking gave up")
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


def shipment_out(shipment: Shipment) -> dict[str, Any]:
    return {
        "code": shipment.code,
        "carrier": shipment.carrier.code,
        "direction": shipment.direction,
        "status": shipment.status,
        "raw_status": shipment.raw_status,
        "tracking_code": shipment.tracking_code,
        "label_url": shipment.label_url,
        "label_text": shipment.label_text,
        "fee": shipment.fee,
        "reference": shipment.reference,
        "customer_code": shipment.customer.code if shipment.customer else None,
        "cod_amount": shipment.cod_amount,
        "pickup_from": shipment.pickup_from,
        "pickup_until": shipment.pickup_until,
        "booking_attempts": shipment.booking_attempts,
        "booking_error": shipment.booking_error,
        "booking_failed_at": shipment.booking_failed_at,
        "booked_at": shipment.booked_at,
        "last_tracking_at": shipment.last_tracking_at,
        "delayed_at": shipment.delayed_at,
        "created_at": shipment.created_at,
    }


def _party(user: Any, party: dict[str, Any]) -> dict[str, Any]:
    if can_see_pii(user):
        return party
    return {**party, "phone": shown_phone(user, party.get("phone")), "street": "***" if party.get("street") else ""}


class OutboundIn(Schema):
    order: str = Field(min_length=1, max_length=40, description="the order's code, e.g. ORD-2026-000123")
    carrier: str = Field(
        description="the carrier that has the parcel", json_schema_extra=doc.one_of(list(API_CARRIERS))
    )
    tracking_code: str = Field(
        min_length=3, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,59}$",
        description="the carrier's order code",
    )  # fmt: skip
    promised_at: doc.ClientDateTime | None = Field(
        None, description="the delivery date promised to the customer; not delivered by then -> shipment.late"
    )


@router.post(
    "/outbound",
    response={200: ShipmentOut, 201: ShipmentOut},
    summary="Register an order's delivery booked outside Haumai (idempotent per carrier + tracking code)",
)
def register_delivery(request: HttpRequest, payload: OutboundIn) -> Status[dict[str, Any]]:
    user = require(request, "shipping.add_shipment")
    registered = register_outbound(
        actor=user, order_code=payload.order, carrier_code=payload.carrier, tracking_code=payload.tracking_code,
        promised_at=payload.promised_at,
    )  # fmt: skip
    return Status(201 if registered.created else 200, shipment_out(registered.shipment))


@router.get("", response=ShipmentPage, summary="List shipments (newest first)")
def list_shipments(request: HttpRequest, filters: Query[ShipmentFilters]) -> dict[str, Any]:
    require(request, "shipping.view_shipment")
    rows = list(
        selectors.shipment_list(
            status=filters.status,
            carrier=filters.carrier,
            reference=filters.reference,
            booking_failed=filters.booking_failed,
        )[filters.offset : filters.offset + filters.limit + 1]
    )
    has_more = len(rows) > filters.limit
    return {
        "items": [shipment_out(s) for s in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if has_more else None,
    }


@router.get("/{code}", response=ShipmentDetailOut, summary="Get a shipment by code (SHP-...) or tracking code")
def get_shipment(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "shipping.view_shipment")
    found = selectors.shipment_by_code_or_tracking(code)
    if found is None:
        raise NotFound(f"No shipment {code}")
    shipment = selectors.shipment_detail(found.code)
    audit.contact_shown(request, customer=shipment.customer, target=shipment.code, page="api")
    return {
        **shipment_out(shipment),
        "sender": _party(user, shipment.sender),
        "recipient": _party(user, shipment.recipient),
        "parcel": shipment.parcel,
        "tracking": [
            {
                "raw_code": e.raw_code,
                "mapped_status": e.mapped_status,
                "applied": e.applied,
                "description": e.description,
                "occurred_at": e.occurred_at,
                "received_at": e.received_at,
                "source": e.source,
            }
            for e in shipment.tracking_events.all()
        ],
    }
