"""REST API v1: products (SKU) and serialised units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.catalog import selectors, services
from haumai.catalog.schemas import (
    ProductIn,
    ProductOut,
    ProductPage,
    ProductPatch,
    UnitIn,
    UnitOut,
    UnitPage,
    product_out,
    unit_out,
)
from haumai.core import openapi as doc
from haumai.core.permissions import require

router = Router(tags=["catalog"])
MAX_PAGE = 100


class ProductFilters(Schema):
    q: str = Field("", max_length=200, description="SKU prefix or name without diacritics")
    brand: str = Field("", max_length=80)
    category: str = Field("", max_length=60)
    is_active: doc.QueryBoolean | None = None
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


class UnitFilters(Schema):
    status: str = ""
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/products", response=ProductPage, summary="List products")
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> dict[str, Any]:
    require(request, "catalog.view_product")
    rows = list(
        selectors.product_list(
            q=filters.q, brand=filters.brand, category=filters.category, is_active=filters.is_active
        )[filters.offset : filters.offset + filters.limit + 1]
    )
    return {
        "items": [product_out(p) for p in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(rows) > filters.limit else None,
    }


@router.get("/products/{sku}", response=ProductOut, summary="Get a product by SKU")
def get_product(request: HttpRequest, sku: str) -> dict[str, Any]:
    require(request, "catalog.view_product")
    return product_out(selectors.product_by_sku(sku))


@router.post("/products", response={201: ProductOut}, summary="Create a product")
def create_product(request: HttpRequest, payload: ProductIn) -> Status[dict[str, Any]]:
    user = require(request, "catalog.add_product")
    product = services.create_product(actor=user, **payload.model_dump())
    return Status(201, product_out(selectors.product_by_sku(product.sku)))


@router.patch("/products/{sku}", response=ProductOut, summary="Update a product (only the fields sent)")
def update_product(request: HttpRequest, sku: str, payload: ProductPatch) -> dict[str, Any]:
    user = require(request, "catalog.change_product")
    product = selectors.product_by_sku(sku)
    # null clears the category; for other fields it means "leave as is".
    sent = {
        key: value
        for key, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or key == "category_code"
    }
    services.update_product(actor=user, product=product, **sent)
    return product_out(selectors.product_by_sku(sku))


@router.get("/products/{sku}/units", response=UnitPage, summary="List a product's units")
def list_units(request: HttpRequest, sku: str, filters: Query[UnitFilters]) -> dict[str, Any]:
    require(request, "catalog.view_unit")
    product = selectors.product_by_sku(sku)
    rows = list(
        selectors.units_for_product(product, status=filters.status)[filters.offset : filters.offset + filters.limit + 1]
    )
    return {
        "items": [unit_out(u) for u in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(rows) > filters.limit else None,
    }


@router.post("/products/{sku}/units", response={201: UnitOut}, summary="Register a serialised unit")
def create_unit(request: HttpRequest, sku: str, payload: UnitIn) -> Status[dict[str, Any]]:
    user = require(request, "catalog.add_unit")
    product = selectors.product_by_sku(sku)
    unit = services.create_unit(
        actor=user, product=product, serial=payload.serial, imei=payload.imei, status=payload.status
    )
    return Status(201, unit_out(unit))


@router.get("/units/{serial}", response=UnitOut, summary="Get a unit by serial or IMEI")
def get_unit(request: HttpRequest, serial: str) -> dict[str, Any]:
    require(request, "catalog.view_unit")
    return unit_out(selectors.unit_by_serial(serial))
