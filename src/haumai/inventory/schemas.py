"""API shapes for stock levels and moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from haumai.inventory.models import ChannelStock, StockLevel, StockMove, Transfer


class StockMoveIn(Schema):
    sku: str = Field(max_length=64)
    warehouse: str = Field(max_length=40, description="warehouse code")
    grade: str = "new"
    quantity: int = Field(description="signed: positive adds stock, negative takes it")
    reason: str
    reference: str = Field("", max_length=64)
    serial: str | None = Field(None, max_length=64)


class StockLevelOut(BaseModel):
    sku: str
    product_name: str
    warehouse: str
    grade: str
    quantity: int
    updated_at: dt.datetime


class StockMoveOut(BaseModel):
    id: int
    sku: str
    warehouse: str
    grade: str
    quantity: int
    reason: str
    reference: str
    serial: str | None
    actor: str | None
    created_at: dt.datetime


class StockLevelPage(BaseModel):
    items: list[StockLevelOut]
    limit: int
    offset: int
    next_offset: int | None


class StockMovePage(BaseModel):
    items: list[StockMoveOut]
    limit: int
    offset: int
    next_offset: int | None


def level_out(level: StockLevel) -> dict[str, Any]:
    return {
        "sku": level.product.sku,
        "product_name": level.product.name,
        "warehouse": level.warehouse.code,
        "grade": level.grade,
        "quantity": level.quantity,
        "updated_at": level.updated_at,
    }


def move_out(move: StockMove) -> dict[str, Any]:
    return {
        "id": move.pk,
        "sku": move.product.sku,
        "warehouse": move.warehouse.code,
        "grade": move.grade,
        "quantity": move.quantity,
        "reason": move.reason,
        "reference": move.reference,
        "serial": move.unit.serial if move.unit else None,
        "actor": move.actor.get_username() if move.actor else None,
        "created_at": move.created_at,
    }


class TransferLineIn(Schema):
    sku: str = Field(max_length=64)
    quantity: int = Field(1, description="units to send (1 for a serialised unit)")
    grade: str = Field("new", max_length=4)
    serial: str | None = Field(None, max_length=64)


class TransferIn(Schema):
    source: str = Field(max_length=40, description="warehouse code the stock leaves")
    destination: str = Field(max_length=40, description="warehouse code the stock goes to")
    lines: list[TransferLineIn] = Field(max_length=200)
    note: str = Field("", max_length=500)
    idempotency_key: str = Field("", max_length=80)


class TransferLineOut(BaseModel):
    sku: str
    grade: str
    quantity: int
    serial: str | None


class TransferOut(BaseModel):
    code: str
    source: str
    destination: str
    status: str
    note: str
    requested_at: dt.datetime
    shipped_at: dt.datetime | None
    received_at: dt.datetime | None
    lines: list[TransferLineOut]


class TransferPage(BaseModel):
    items: list[TransferOut]
    limit: int
    offset: int
    next_offset: int | None


class AvailableOut(BaseModel):
    sku: str
    channel: str
    available: int
    updated_at: dt.datetime


class AvailablePage(BaseModel):
    items: list[AvailableOut]
    limit: int
    offset: int
    next_offset: int | None


def transfer_out(transfer: Transfer) -> dict[str, Any]:
    return {
        "code": transfer.code,
        "source": transfer.source.code,
        "destination": transfer.destination.code,
        "status": transfer.status,
        "note": transfer.note,
        "requested_at": transfer.requested_at,
        "shipped_at": transfer.shipped_at,
        "received_at": transfer.received_at,
        "lines": [
            {
                "sku": line.product.sku,
                "grade": line.grade,
                "quantity": line.quantity,
                "serial": line.unit.serial if line.unit else None,
            }
            for line in transfer.lines.all()
        ],
    }


def available_out(row: ChannelStock) -> dict[str, Any]:
    return {
        "sku": row.product.sku,
        "channel": row.channel.code,
        "available": row.available,
        "updated_at": row.updated_at,
    }
