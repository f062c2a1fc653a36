"""REST API v1: stock levels and the stock-move ledger."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.catalog import selectors as catalog_selectors
from haumai.core import openapi as doc
from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.permissions import require
from haumai.inventory import selectors, services
from haumai.inventory.schemas import (
    StockLevelPage,
    StockMoveIn,
    StockMoveOut,
    StockMovePage,
    level_out,
    move_out,
)

router = Router(tags=["stock"])
MAX_PAGE = 100


class LevelFilters(Schema):
    sku: str = Field("", max_length=64)
    warehouse: str = Field("", max_length=40)
    grade: str = Field("", max_length=4)
    include_zero: doc.QueryBoolean = False
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


class MoveFilters(Schema):
    sku: str = Field("", max_length=64)
    warehouse: str = Field("", max_length=40)
    reference: str = Field("", max_length=64)
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("", response=StockLevelPage, summary="Stock levels per SKU x warehouse x grade")
def list_levels(request: HttpRequest, filters: Query[LevelFilters]) -> dict[str, Any]:
    require(request, "inventory.view_stocklevel")
    rows = list(
        selectors.stock_levels(
            sku=filters.sku, warehouse=filters.warehouse, grade=filters.grade, include_zero=filters.include_zero
        )[filters.offset : filters.offset + filters.limit + 1]
    )
    return {
        "items": [level_out(level) for level in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(rows) > filters.limit else None,
    }


@router.get("/moves", response=StockMovePage, summary="The stock ledger, newest first")
def list_moves(request: HttpRequest, filters: Query[MoveFilters]) -> dict[str, Any]:
    require(request, "inventory.view_stockmove")
    rows = list(
        selectors.stock_moves(sku=filters.sku, warehouse=filters.warehouse, reference=filters.reference)[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    return {
        "items": [move_out(move) for move in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(rows) > filters.limit else None,
    }


def _field_not_found(field: str, exc: NotFound) -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, exc.message, "not_found")])


@router.post("/moves", response={201: StockMoveOut}, summary="Record a stock move (signed quantity)")
def create_move(request: HttpRequest, payload: StockMoveIn) -> Status[dict[str, Any]]:
    user = require(request, "inventory.add_stockmove")
    try:
        product = catalog_selectors.product_by_sku(payload.sku)
    except NotFound as exc:
        raise _field_not_found("sku", exc) from exc
    try:
        warehouse = selectors.warehouse_by_code(payload.warehouse)
    except NotFound as exc:
        raise _field_not_found("warehouse", exc) from exc
    unit = None
    if payload.serial:
        try:
            unit = catalog_selectors.unit_by_serial(payload.serial)
        except NotFound as exc:
            raise _field_not_found("serial", exc) from exc
    move = services.move_stock(
        actor=user,
        product=product,
        warehouse=warehouse,
        grade=payload.grade,
        quantity=payload.quantity,
        reason=payload.reason,
        reference=payload.reference,
        unit=unit,
    )
    return Status(201, move_out(move))
