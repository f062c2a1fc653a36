"""Fixtures for the demo generator tests: a database-free plan and fast password hashing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.demo.catalog_data import IMEI_BRAND, PRODUCTS, SERIAL_BRAND
from haumai.demo.plan import Plan, ProductRef, ProvinceRef, region_of_province
from haumai.demo.writer import TABLES

NOW = dt.datetime(2026, 11, 22, 3, 30, tzinfo=dt.UTC)
CHANNEL_CODES = ["store", "website", "shopee", "lazada", "tiktok-shop", "phone"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_plan(*, seed: int = 42, customers: int = 3_000, months: int = 18, **overrides: Any) -> Plan:
    """A plan over the real demo catalogue with made-up ids, provinces and wards."""
    products = tuple(
        ProductRef(
            id=100 + number, sku=spec.sku, brand=spec.brand, department=spec.department, price=spec.price,
            is_serialized=spec.is_serialized, popularity=spec.popularity,
            serial_prefix=f"{SERIAL_BRAND.get(spec.brand, 'HM')}{number:03d}", product_number=number,
            imei_prefix=IMEI_BRAND.get(spec.brand) if spec.department == "phone" else None,
            unit_number_offset=1000 * number,
        )
        for number, spec in enumerate(PRODUCTS)
    )
    provinces = tuple(
        ProvinceRef(code=code, codename=f"p{code}", region=region_of_province(code), weight=1.0 + code % 3,
                    ward_ids=tuple(range(code * 1000, code * 1000 + 50)))
        for code in (1, 31, 48, 79, 92)
    )
    values: dict[str, Any] = {
        "seed": seed, "customers": customers, "months": months, "now": NOW, "products": products,
        "channels": {code: i + 1 for i, code in enumerate(CHANNEL_CODES)},
        "stores": {"north": 1, "central": 2, "south": 3},
        "warehouses": {"north": 1, "central": 2, "south": 3, "hub": 4},
        "provinces": provinces, "first_ids": {table.name: 1 for table in TABLES}, "event_customers": 100,
    }
    values.update(overrides)
    return Plan(**values)
