"""API shapes for repair orders (and the one error shape every endpoint documents)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from haumai.accounts.selectors import shown_phone
from haumai.core import openapi as doc
from haumai.repairs import selectors
from haumai.repairs.models import RepairOrder
from haumai.repairs.services import quote_totals

# HaumaiAPI documents every error answer with the one ErrorOut (haumai.api); routes add nothing.
ERRORS: dict[int, Any] = {}


class IntakeIn(Schema):
    # Required and not blank (`\S`: JSON Schema patterns are not anchored); the description needs 3 characters
    # once trimmed (a non-blank character, anything, a non-blank character).
    serial: str = Field(min_length=1, max_length=64, pattern=r"\S", description="serial number or IMEI of the unit")
    customer: str = Field(min_length=1, max_length=20, pattern=r"\S", description="customer code (CUS-...)")
    service_center: str = Field(min_length=1, max_length=40, pattern=r"\S", description="active service centre code")
    description: str = Field(
        min_length=3, max_length=4000, pattern=r"\S[\s\S]+\S", description="what the customer says is wrong"
    )
    condition: str = Field("", max_length=500)
    accessories: list[str] = Field(default_factory=list, max_length=20)
    claim: str = Field("", max_length=24, description="WC- code of an accepted repair claim")


class TransitionIn(Schema):
    note: str = Field("", max_length=500)


class RepairAssignIn(Schema):
    technician: str = Field(max_length=150, description="username of a technician")


class QuoteLineIn(Schema):
    kind: str = Field(description="part or labour")
    sku: str = Field("", max_length=64)
    description: str = Field("", max_length=200)
    quantity: int = Field(1, ge=1, le=100)
    unit_cost: int | None = Field(None, ge=0)
    unit_price: int | None = Field(None, ge=0)


class QuoteIn(Schema):
    diagnosis: str = Field(max_length=4000)
    lines: list[QuoteLineIn] = Field(max_length=30)
    valid_days: int = Field(7, ge=1, le=60)
    goodwill_vnd: int = Field(0, ge=0, le=1_000_000_000, description="Discount off the quote (VND)")
    goodwill_reason: str = Field("", max_length=500)


class GoodwillDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500, description="Required to refuse")


class QuoteDecisionIn(Schema):
    approve: doc.StrictBoolean
    note: str = Field("", max_length=500)


class PartIn(Schema):
    sku: str = Field(max_length=64)
    quantity: int = Field(1, ge=1, le=100)
    unit_cost: int | None = Field(None, ge=0)


class QuoteLineOut(Schema):
    kind: str
    sku: str
    description: str
    quantity: int
    unit_cost: int
    unit_price: int
    customer_price: int


class PartOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_cost: int
    warranty_ends_on: dt.date


class ChangeOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    by: str
    note: str


class ClockOut(Schema):
    working_hours: float = Field(description="hours on the technician's clock (waiting for parts left out)")
    waiting_hours: float
    target_hours: int
    late: bool


class RepairOut(Schema):
    code: str
    status: str
    serial: str
    product: str
    customer: str
    customer_phone: str
    service_center: str
    technician: str | None
    claim: str | None
    under_warranty: bool
    received_at: dt.datetime
    promised_at: dt.datetime
    ready_at: dt.datetime | None
    returned_at: dt.datetime | None
    service_days: int
    outcome: str
    replacement_due: bool
    clock: ClockOut


class RepairDetailOut(RepairOut):
    description: str
    condition: str
    accessories: list[str]
    diagnosis: str
    quote_version: int
    quote_expires_at: dt.datetime | None
    quote_total: int
    quote_cost: int
    goodwill_vnd: int
    goodwill_status: str
    outsourced_to: str
    outsource_shipment: str
    outsource_status: str
    outsource_return_shipment: str
    outsource_return_status: str
    lines: list[QuoteLineOut]
    parts: list[PartOut]
    history: list[ChangeOut]


class RepairPage(Schema):
    items: list[RepairOut]
    has_more: bool


def repair_out(order: RepairOrder, user: Any) -> dict[str, Any]:
    """The list shape of one order (phone masked without the PII permission)."""
    clock = selectors.turnaround(order)
    return {
        "code": order.code,
        "status": order.status,
        "serial": order.unit.serial,
        "product": order.unit.product.name,
        "customer": order.customer.code,
        "customer_phone": shown_phone(user, order.customer.phone),
        "service_center": order.service_center.code,
        "technician": order.technician.get_username() if order.technician else None,
        "claim": order.claim.code if order.claim else None,
        "under_warranty": order.under_warranty,
        "received_at": order.received_at,
        "promised_at": order.promised_at,
        "ready_at": order.ready_at,
        "returned_at": order.returned_at,
        "service_days": order.service_days,
        "outcome": order.outcome,
        "replacement_due": order.replacement_due,
        "clock": {
            "working_hours": clock.working_hours,
            "waiting_hours": clock.waiting_hours,
            "target_hours": clock.target_hours,
            "late": clock.late,
        },
    }


def detail_out(order: RepairOrder, user: Any) -> dict[str, Any]:
    """The full shape of one order."""
    totals = quote_totals(order)
    return {
        **repair_out(order, user),
        "description": order.description,
        "condition": order.condition,
        "accessories": list(order.accessories or []),
        "diagnosis": order.diagnosis,
        "quote_version": order.quote_version,
        "quote_expires_at": order.quote_expires_at,
        "quote_total": totals["customer"],
        "quote_cost": totals["cost"],
        "goodwill_vnd": order.goodwill_vnd,
        "goodwill_status": order.goodwill_status,
        "outsourced_to": order.outsourced_to.code if order.outsourced_to_id and order.outsourced_to else "",
        "outsource_shipment": order.outsource_shipment,
        "outsource_status": order.outsource_status,
        "outsource_return_shipment": order.outsource_return_shipment,
        "outsource_return_status": order.outsource_return_status,
        "lines": [
            {
                "kind": line.kind,
                "sku": line.part.sku if line.part else "",
                "description": line.description,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "unit_price": line.unit_price,
                "customer_price": line.customer_price,
            }
            for line in order.lines.all()
            if line.version == order.quote_version
        ],
        "parts": [
            {
                "sku": usage.part.sku,
                "name": usage.part.name,
                "quantity": usage.quantity,
                "unit_cost": usage.unit_cost,
                "warranty_ends_on": usage.warranty_ends_on,
            }
            for usage in order.parts.all()
        ],
        "history": [
            {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "at": change.at,
                "by": change.actor_label,
                "note": change.note,
            }
            for change in order.changes.all()
        ],
    }
