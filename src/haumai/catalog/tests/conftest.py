"""Fixtures for catalog tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haumai.catalog.models import Category, Product


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def phones(db: Any) -> Category:
    return Category.objects.create(code="phones", name="Điện thoại")


@pytest.fixture
def phone_product(phones: Category) -> Product:
    return Product.objects.create(
        sku="IP15-128",
        name="iPhone 15 128GB",
        search_key="iphone 15 128gb",
        brand="Apple",
        category=phones,
        price=19_990_000,
        is_serialized=True,
        warranty_months=12,
    )
