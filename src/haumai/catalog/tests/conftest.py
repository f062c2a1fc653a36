"""Fixtures for catalog tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert on the English messages (the product defaults to Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
