"""Fixtures for stock tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from haumai.catalog.models import Product
from haumai.inventory.models import Warehouse


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def warehouse(db: Any) -> Warehouse:
    return Warehouse.objects.create(code="kho-hcm", name="Kho Hồ Chí Minh")


@pytest.fixture
def product(db: Any) -> Product:
    return Product.objects.create(sku="FAN-1", name="Quạt đứng", search_key="quat dung", price=500_000)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert on the English messages (the product defaults to Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
