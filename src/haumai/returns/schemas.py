"""API shapes for returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from haumai.core import openapi as doc
from haumai.inventory.models import Grade
from haumai.returns.models import Condition, Disposition, Logistics, Reason, Resolution, ReturnRequest
from haumai.returns.policy import explain

# Line ids as object keys (JSON keys are strings): digits only.
_LINE_ID_KEYS: dict[str, Any] = {"propertyNames": {"pattern": r"^[1-9][0-9]{0,17}$"}}


class LineIn(Schema):
    order_line_id: int | None = None
    sku: str = Field("", max_length=64)
    serial: str = Field("", max_length=64)
    quantity: int = Field(1, ge=1, le=10_000)
    condition: str = Field("opened_unused", max_length=24, json_schema_extra=doc.one_of(Condition.values))
    unit_price: int | None = Field(None, ge=0, le=100_000_000_000, description="only for items not on an order")


class PickupIn(Schema):
    name: str = Field("", max_length=160)
    phone: str = Field("", max_length=20)
    street: str = Field("", max_length=255)
    ward_code: str = Field("", max_length=10)
    province_code: str = Field("", max_length=10)
    window_from: doc.ClientDateTime | None = None
    window_to: doc.ClientDateTime | None = None


class BankAccountIn(Schema):
    bank: str = Field(max_length=120)
    number: str = Field(max_length=40)
    name: str = Field(max_length=120)


class ReturnIn(Schema):
    customer: str = Field(max_length=20, description="customer code")
    order: str | None = Field(None, max_length=24, description="order code (omit for items bought elsewhere)")
    lines: list[LineIn] = Field(max_length=50)
    reason: str = Field(max_length=24, json_schema_extra=doc.one_of(Reason.values))
    resolution: str = Field(max_length=24, json_schema_extra=doc.one_of(Resolution.values))
    logistics: str = Field(
        max_length=20,
        description="carrier_pickup, staff_pickup or store_dropoff",
        json_schema_extra=doc.one_of(Logistics.values),
    )
    carrier: str = Field("", max_length=20)
    pickup: PickupIn | None = None
    warehouse: str = Field("", max_length=40)
    customer_note: str = Field("", max_length=2000)
    exchange_sku: str = Field("", max_length=64)
    bank_account: BankAccountIn | None = None
    idempotency_key: str = Field("", max_length=120, description="or the Idempotency-Key header")
    override_note: str = Field("", max_length=2000, description="accept ineligible lines as an exception")


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class RejectIn(Schema):
    """A refusal: the customer reads the note, so it is required."""

    model_config = ConfigDict(json_schema_extra=doc.also_required("note"))
    note: str = Field("", max_length=2000, json_schema_extra=doc.NOT_BLANK)


class ReceiveIn(Schema):
    lines: dict[int, int] | None = Field(
        None,
        description="line id -> quantity received, 0 to the line's quantity (omit: everything)",
        # At least one line with a quantity: "every line 0" (or none) is "nothing received", which is refused.
        json_schema_extra={
            **_LINE_ID_KEYS,
            "additionalProperties": {"type": "integer", "minimum": 0},
            "not": {"additionalProperties": {"const": 0}},
        },
    )
    serials: dict[int, str] | None = Field(
        None, description="line id -> scanned serial/IMEI, checked", json_schema_extra=_LINE_ID_KEYS
    )
    warehouse: str = Field("", max_length=40)


class InspectIn(Schema):
    """Grade D (unsellable) is scrapped or returned to the vendor: never restocked."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"grade": {"enum": [Grade.A, Grade.B, Grade.C]}}},
                {"properties": {"disposition": {"not": {"enum": [Disposition.RESTOCK]}}}},
            ]
        }
    )
    grade: str = Field(max_length=4, json_schema_extra=doc.one_of([Grade.A, Grade.B, Grade.C, Grade.D]))
    disposition: str = Field(max_length=24, json_schema_extra=doc.one_of(Disposition.values))
    warehouse: str = Field("", max_length=40)
    notes: str = Field("", max_length=2000)


class InspectionOut(BaseModel):
    quantity: int
    grade: str
    disposition: str
    warehouse: str | None
    inspected_at: dt.datetime


class LineOut(BaseModel):
    id: int
    sku: str
    product_name: str
    serial: str | None
    quantity: int
    received_quantity: int
    unit_price: int
    condition: str
    eligible: bool
    overridden: bool
    notes: list[str]
    inspections: list[InspectionOut]


class ReturnEventOut(BaseModel):
    name: str
    occurred_at: dt.datetime
    actor: str


class ReturnSummaryOut(BaseModel):
    code: str
    status: str
    customer_code: str
    customer_name: str
    order_code: str | None
    reason: str
    resolution: str
    logistics: str
    value: int
    problem: str
    requested_at: dt.datetime


class ReturnOut(ReturnSummaryOut):
    origin: str
    carrier: str
    dropoff_code: str | None
    shipment_code: str
    shipment_status: str
    tracking_code: str
    refund_code: str
    refund_status: str
    refund_amount: int
    restocking_fee: int
    pickup_fee: int
    exchange_order_code: str
    decision_note: str
    approved_at: dt.datetime | None
    received_at: dt.datetime | None
    resolved_at: dt.datetime | None
    lines: list[LineOut]
    timeline: list[ReturnEventOut]


class ReturnPage(BaseModel):
    items: list[ReturnSummaryOut]
    has_more: bool


def summary_out(request: ReturnRequest, value: int | None = None) -> dict[str, Any]:
    return {
        "code": request.code,
        "status": request.status,
        "customer_code": request.customer.code,
        "customer_name": request.customer.full_name,
        "order_code": request.order.code if request.order else None,
        "reason": request.reason,
        "resolution": request.resolution,
        "logistics": request.logistics,
        "value": int(value if value is not None else sum(line.value for line in request.lines.all())),
        "problem": request.problem,
        "requested_at": request.requested_at,
    }


def return_out(request: ReturnRequest, events: list[Any]) -> dict[str, Any]:
    lines = list(request.lines.all())
    return {
        **summary_out(request, sum(line.value for line in lines)),
        "origin": request.origin,
        "carrier": request.carrier_code,
        "dropoff_code": request.dropoff_code,
        "shipment_code": request.shipment_code,
        "shipment_status": request.shipment_status,
        "tracking_code": request.tracking_code,
        "refund_code": request.refund_code,
        "refund_status": request.refund_status,
        "refund_amount": request.refund_amount,
        "restocking_fee": request.restocking_fee,
        "pickup_fee": request.pickup_fee,
        "exchange_order_code": request.exchange_order_code,
        "decision_note": request.decision_note,
        "approved_at": request.approved_at,
        "received_at": request.received_at,
        "resolved_at": request.resolved_at,
        "lines": [
            {
                "id": line.pk,
                "sku": line.product.sku,
                "product_name": line.product.name,
                "serial": line.unit.serial if line.unit else None,
                "quantity": line.quantity,
                "received_quantity": line.received_quantity,
                "unit_price": line.unit_price,
                "condition": line.condition,
                "eligible": line.eligible,
                "overridden": line.overridden,
                "notes": [explain(note) for note in line.notes],
                "inspections": [
                    {
                        "quantity": i.quantity,
                        "grade": i.grade,
                        "disposition": i.disposition,
                        "warehouse": i.warehouse.code if i.warehouse else None,
                        "inspected_at": i.inspected_at,
                    }
                    for i in line.inspections.all()
                ],
            }
            for line in lines
        ],
        "timeline": [
            {"name": e.name, "occurred_at": e.occurred_at, "actor": e.actor_label or "system"} for e in events
        ],
    }
