"""API shapes for products and units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from haumai.catalog.models import Product, Unit, UnitStatus, WarrantyProvider, WarrantyStart
from haumai.catalog.services import MAX_PRICE
from haumai.core import openapi as doc


class ProductIn(Schema):
    sku: str = Field(min_length=1, max_length=64, json_schema_extra=doc.NOT_BLANK)
    name: str = Field(max_length=200, json_schema_extra=doc.NOT_BLANK)
    brand: str = Field("", max_length=80)
    category_code: str | None = Field(None, max_length=60)
    price: int = Field(0, description="integer VND", json_schema_extra=doc.between(0, MAX_PRICE))
    is_serialized: doc.StrictBoolean = False
    warranty_months: int = Field(0, json_schema_extra=doc.between(0, 240))
    warranty_start: str = Field("purchase", json_schema_extra=doc.one_of(WarrantyStart.values))
    warranty_provider: str = Field("retailer", json_schema_extra=doc.one_of(WarrantyProvider.values))
    return_days: int = Field(7, json_schema_extra=doc.between(0, 3650))
    is_returnable: doc.StrictBoolean = True
    is_active: doc.StrictBoolean = True


class ProductPatch(Schema):
    name: str | None = Field(None, max_length=200, json_schema_extra=doc.NOT_BLANK)
    brand: str | None = Field(None, max_length=80)
    category_code: str | None = Field(None, max_length=60)
    price: int | None = Field(None, json_schema_extra=doc.between(0, MAX_PRICE))
    is_serialized: doc.StrictBoolean | None = None
    warranty_months: int | None = Field(None, json_schema_extra=doc.between(0, 240))
    warranty_start: str | None = Field(None, json_schema_extra=doc.one_of(WarrantyStart.values, null=True))
    warranty_provider: str | None = Field(None, json_schema_extra=doc.one_of(WarrantyProvider.values, null=True))
    return_days: int | None = Field(None, json_schema_extra=doc.between(0, 3650))
    is_returnable: doc.StrictBoolean | None = None
    is_active: doc.StrictBoolean | None = None


class ProductOut(BaseModel):
    sku: str
    name: str
    brand: str
    category_code: str | None
    price: int
    is_serialized: bool
    warranty_months: int
    warranty_start: str
    warranty_provider: str
    return_days: int
    is_returnable: bool
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductPage(BaseModel):
    items: list[ProductOut]
    limit: int
    offset: int
    next_offset: int | None


class UnitIn(Schema):
    serial: str = Field(min_length=1, max_length=64, json_schema_extra=doc.NOT_BLANK)
    imei: str | None = Field(None, max_length=20, json_schema_extra=doc.IMEI)
    status: str = Field("in_stock", json_schema_extra=doc.one_of(UnitStatus.values))


class UnitOut(BaseModel):
    serial: str
    imei: str | None
    sku: str
    status: str
    created_at: dt.datetime


class UnitPage(BaseModel):
    items: list[UnitOut]
    limit: int
    offset: int
    next_offset: int | None


def product_out(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "brand": product.brand,
        "category_code": product.category.code if product.category else None,
        "price": product.price,
        "is_serialized": product.is_serialized,
        "warranty_months": product.warranty_months,
        "warranty_start": product.warranty_start,
        "warranty_provider": product.warranty_provider,
        "return_days": product.return_days,
        "is_returnable": product.is_returnable,
        "is_active": product.is_active,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "serial": unit.serial,
        "imei": unit.imei,
        "sku": unit.product.sku,
        "status": unit.status,
        "created_at": unit.created_at,
    }
