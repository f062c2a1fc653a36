"""API shapes for orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from haumai.core import openapi as doc
from haumai.core.phone import mask_phone
from haumai.sales.models import Order, OrderLine, OrderStatus
from haumai.sales.services import MAX_LINE_QUANTITY, MAX_UNIT_PRICE


class CustomerRefIn(Schema):
    """An existing customer's code, or a phone that finds or creates the customer: one of the two is required."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["code"], "properties": {"code": {"type": "string", **doc.NOT_BLANK}}},
                {"required": ["phone"], "properties": {"phone": {"type": "string"}}},
            ]
        }
    )
    code: str | None = Field(None, max_length=20, description="an existing customer code")
    phone: str | None = Field(
        None, max_length=32, description="any format; finds or creates the customer", json_schema_extra=doc.phone()
    )
    full_name: str = Field("", max_length=160)
    email: str | None = Field(None, max_length=254, json_schema_extra=doc.email())


class OrderLineIn(Schema):
    """One line; a line naming a serial or IMEI is for exactly one unit."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"serial": {"enum": [None, ""]}, "imei": {"enum": [None, ""]}}},
                {"properties": {"quantity": {"const": 1}}},
            ]
        }
    )
    sku: str = Field(max_length=64)
    quantity: int = Field(1, json_schema_extra=doc.between(1, MAX_LINE_QUANTITY))
    unit_price: int = Field(description="integer VND", json_schema_extra=doc.between(0, MAX_UNIT_PRICE))
    serial: str | None = Field(None, max_length=64)
    imei: str | None = Field(None, max_length=20, json_schema_extra=doc.IMEI)


class DeliveryIn(Schema):
    """The forward delivery booked outside Haumai, registered with the order (as POST /shipments/outbound)."""

    carrier: str = Field(min_length=1, max_length=40, description="carrier code: ghn, ghtk, viettel_post, jt, ninjavan")
    tracking_code: str = Field(
        min_length=3,
        max_length=60,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,59}$",
        description="the carrier's order code",
    )
    promised_at: doc.ClientDateTime | None = Field(None, description="delivery date promised to the customer")


class OrderIn(Schema):
    """An order; with an external_id, placed_at is required (the pair identifies the order)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"external_id": {"enum": [None, ""]}}},
                {"required": ["placed_at"], "properties": {"placed_at": {"type": "string", "format": "date-time"}}},
            ]
        }
    )
    channel: str = Field(max_length=40, description="channel code, e.g. shopee")
    external_id: str | None = Field(None, max_length=80, description="the channel's order id (idempotency key)")
    customer: CustomerRefIn
    lines: list[OrderLineIn] = Field(max_length=500, json_schema_extra={"minItems": 1})
    placed_at: doc.ClientDateTime | None = None
    store: str | None = Field(None, max_length=40)
    payment_method: str = Field("", max_length=30)
    status: str = Field("placed", json_schema_extra=doc.one_of(OrderStatus.values))
    delivered_at: doc.ClientDateTime | None = None
    delivery: DeliveryIn | None = Field(
        None, description="carrier + tracking code: the delivery is watched from now on"
    )


class StatusIn(Schema):
    status: str = Field(json_schema_extra=doc.one_of(OrderStatus.values))
    at: doc.ClientDateTime | None = None


class OrderLineOut(BaseModel):
    sku: str
    product_name: str
    quantity: int
    unit_price: int
    line_total: int
    serial: str | None
    imei: str | None


class OrderCustomerOut(BaseModel):
    code: str
    full_name: str
    phone: str | None


class OrderOut(BaseModel):
    """Output models are plain pydantic (built from dicts), which skips ninja's ORM-getter validator."""

    code: str
    channel: str
    external_id: str | None
    store: str | None
    status: str
    placed_at: dt.datetime
    delivered_at: dt.datetime | None
    total: int
    payment_method: str
    customer: OrderCustomerOut
    lines: list[OrderLineOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None = Field(description="pass as ?cursor= to get the next page; null on the last page")


def line_out(line: OrderLine) -> dict[str, Any]:
    return {
        "sku": line.product.sku,
        "product_name": line.product.name,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "line_total": line.line_total,
        "serial": line.unit.serial if line.unit else None,
        "imei": line.unit.imei if line.unit else None,
    }


def order_out(order: Order, *, pii: bool) -> dict[str, Any]:
    """An order with its lines (prefetched); the customer's phone masked without PII rights."""
    phone = order.customer.phone
    return {
        "code": order.code,
        "channel": order.channel.code,
        "external_id": order.external_id,
        "store": order.store.code if order.store else None,
        "status": order.status,
        "placed_at": order.placed_at,
        "delivered_at": order.delivered_at,
        "total": order.total,
        "payment_method": order.payment_method,
        "customer": {
            "code": order.customer.code,
            "full_name": order.customer.full_name,
            "phone": (phone if pii else mask_phone(phone)) if phone else None,
        },
        "lines": [line_out(line) for line in order.lines.all()],
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }
