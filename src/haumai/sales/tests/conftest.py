"""Fixtures for order tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from haumai.catalog.models import Product
from haumai.customers.models import Province
from haumai.sales.models import Channel, Store


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def shopee(db: Any) -> Channel:
    return Channel.objects.create(code="shopee", name="Shopee", kind="marketplace")


@pytest.fixture
def store(db: Any) -> Store:
    return Store.objects.create(code="hcm-q1", name="Cửa hàng Quận 1", province=Province.objects.first())


@pytest.fixture
def products(db: Any) -> dict[str, Product]:
    phone = Product.objects.create(
        sku="IP15", name="iPhone 15", search_key="iphone 15", price=20_000_000, is_serialized=True
    )
    case = Product.objects.create(sku="CASE", name="Ốp lưng", search_key="op lung", price=150_000)
    return {"IP15": phone, "CASE": case}


def order_body(external_id: str = "SO-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "shopee",
        "external_id": external_id,
        "placed_at": "2026-03-01T10:00:00+07:00",
        "customer": {"phone": "0912 345 678", "full_name": "Phạm Minh Tuấn"},
        "lines": [
            {"sku": "IP15", "quantity": 1, "unit_price": 19_500_000, "serial": "SN-001"},
            {"sku": "CASE", "quantity": 2, "unit_price": 150_000},
        ],
        "payment_method": "cod",
    }
    body.update(overrides)
    return body


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert on the English messages (the product defaults to Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
