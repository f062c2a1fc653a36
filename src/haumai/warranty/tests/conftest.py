"""Fixtures: products with each start rule, two customers, delivered orders, and event dispatch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

PLACED = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
DELIVERED = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
TODAY = dt.datetime(2026, 6, 10, 5, 0, tzinfo=dt.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any, tmp_path: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    with clock.frozen(TODAY):
        yield


@dataclass
class Shop:
    an: Customer
    binh: Customer


def dispatch() -> None:
    """Run the subscribers of every pending event, as the worker's dispatcher does."""
    for _round in range(3):
        events = list(pending_dispatch().order_by("id"))
        if not events:
            return
        dispatch_events(events)


def deliver(customer: Customer, *, sku: str, serial: str, imei: str | None = None, external_id: str = "") -> Order:
    order, _created = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku=sku, quantity=1, unit_price=1_000_000, serial=serial, imei=imei)],
        placed_at=PLACED,
        status="delivered",
        delivered_at=DELIVERED,
        external_id=external_id or f"W-{serial}",
    )
    dispatch()
    return order


def photo(data: bytes = PNG, name: str = "hoa-don.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def shop(db: Any) -> Shop:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(
        actor=None,
        sku="IP15",
        name="iPhone 15",
        price=20_000_000,
        is_serialized=True,
        warranty_months=12,
        warranty_start="purchase",
        warranty_provider="brand",
    )
    create_product(
        actor=None,
        sku="FAN",
        name="Quạt đứng",
        price=900_000,
        is_serialized=True,
        warranty_months=6,
        warranty_start="delivery",
    )
    create_product(
        actor=None,
        sku="TV",
        name="Smart TV",
        price=9_000_000,
        is_serialized=True,
        warranty_months=24,
        warranty_start="activation",
    )
    create_product(actor=None, sku="CASE", name="Ốp lưng", price=150_000, warranty_months=0)
    an = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912 345 678", email="an.nguyen@example.vn")
    binh = create_customer(actor=None, full_name="Trần Thị Bình", phone="0987654321", email="binh@example.vn")
    return Shop(an=an, binh=binh)
