"""REST API v1: stock levels, the stock-move ledger, transfers between warehouses, available-to-sell per channel."""

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
from haumai.inventory import selectors, services, transfers
from haumai.inventory.models import TransferStatus
from haumai.inventory.schemas import (
    AvailablePage,
    StockLevelPage,
    StockMoveIn,
    StockMoveOut,
    StockMovePage,
    TransferIn,
    TransferOut,
    TransferPage,
    available_out,
    level_out,
    move_out,
    transfer_out,
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


class TransferFilters(Schema):
    status: str = Field("", max_length=20, json_schema_extra={"enum": ["", *TransferStatus.values]})
    warehouse: str = Field("", max_length=40)
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


class AvailableFilters(Schema):
    sku: str = Field("", max_length=64)
    channel: str = Field("", max_length=40)
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


def _page(rows: list[Any], limit: int, offset: int, shape: Any) -> dict[str, Any]:
    return {
        "items": [shape(row) for row in rows[:limit]],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(rows) > limit else None,
    }


@router.get("/available", response=AvailablePage, summary="Available-to-sell per SKU and sales channel")
def list_available(request: HttpRequest, filters: Query[AvailableFilters]) -> dict[str, Any]:
    require(request, "inventory.view_channelstock")
    rows = list(
        selectors.available_to_sell(sku=filters.sku, channel=filters.channel)[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    return _page(rows, filters.limit, filters.offset, available_out)


@router.get("/transfers", response=TransferPage, summary="Transfers between warehouses, newest first")
def list_transfers(request: HttpRequest, filters: Query[TransferFilters]) -> dict[str, Any]:
    require(request, "inventory.view_transfer")
    rows = list(
        selectors.transfers(status=filters.status, warehouse=filters.warehouse)[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    return _page(rows, filters.limit, filters.offset, transfer_out)


@router.post("/transfers", response={200: TransferOut, 201: TransferOut}, summary="Request a transfer")
def create_transfer(request: HttpRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    user = require(request, "inventory.add_transfer")
    warehouses: dict[str, Any] = {}
    for field in ("source", "destination"):
        try:
            warehouses[field] = selectors.warehouse_by_code(getattr(payload, field))
        except NotFound as exc:
            raise _field_not_found(field, exc) from exc
    lines = []
    for index, line in enumerate(payload.lines):
        try:
            product = catalog_selectors.product_by_sku(line.sku)
        except NotFound as exc:
            raise _field_not_found(f"lines.{index}.sku", exc) from exc
        unit = None
        if line.serial:
            try:
                unit = catalog_selectors.unit_by_serial(line.serial)
            except NotFound as exc:
                raise _field_not_found(f"lines.{index}.serial", exc) from exc
        lines.append(transfers.TransferLineInput(product=product, quantity=line.quantity, grade=line.grade, unit=unit))
    transfer, created = transfers.request_transfer(
        actor=user,
        source=warehouses["source"],
        destination=warehouses["destination"],
        lines=lines,
        note=payload.note,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, transfer_out(selectors.transfer_by_code(transfer.code)))


@router.get("/transfers/{code}", response=TransferOut, summary="One transfer")
def get_transfer(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "inventory.view_transfer")
    return transfer_out(selectors.transfer_by_code(code))


_STEPS = {"ship": transfers.ship_transfer, "receive": transfers.receive_transfer, "cancel": transfers.cancel_transfer}


@router.post("/transfers/{code}/{step}", response=TransferOut, summary="Ship, receive or cancel a transfer")
def step_transfer(request: HttpRequest, code: str, step: str) -> dict[str, Any]:
    user = require(request, "inventory.change_transfer")
    action = _STEPS.get(step)
    if action is None:
        raise NotFound(_("Unknown step '%(step)s' (one of: ship, receive, cancel)") % {"step": step[:20]})
    transfer = selectors.transfer_by_code(code)
    action(actor=user, transfer=transfer)
    return transfer_out(selectors.transfer_by_code(code))
