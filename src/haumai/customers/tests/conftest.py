"""Fixtures for customer tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from haumai.customers.models import Province, Ward


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def ward(db: Any) -> Ward:
    """Any ward of the 2025 units (loaded by migration)."""
    return Ward.objects.select_related("province").order_by("code").first()


@pytest.fixture
def province(ward: Ward) -> Province:
    return ward.province


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert on the English messages (the product defaults to Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
