"""API shapes for stock levels and moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from haumai.inventory.models import StockLevel, StockMove


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
