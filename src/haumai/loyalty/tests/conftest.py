"""Fixtures: products, two customers, delivered orders, a refunded return, and event dispatch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

TODAY = dt.datetime(2026, 6, 10, 5, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
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


_counter = {"n": 0}


def deliver(customer: Customer, *, total: int = 1_000_000, quantity: int = 1, sku: str = "FAN") -> Order:
    """A delivered order of `quantity` x `sku` at total/quantity each; its events are dispatched."""
    _counter["n"] += 1
    order, _created = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku=sku, quantity=quantity, unit_price=total // quantity)],
        placed_at=clock.now() - dt.timedelta(days=2),
        status="delivered",
        delivered_at=clock.now() - dt.timedelta(days=1),
        external_id=f"W-{_counter['n']}-{customer.pk}",
    )
    dispatch()
    return order


@pytest.fixture
def shop(db: Any) -> Shop:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(actor=None, sku="FAN", name="Quạt đứng", price=1_000_000, warranty_months=0)
    create_product(actor=None, sku="CASE", name="Ốp lưng", price=150_000, warranty_months=0)
    an = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912 345 678", email="an.nguyen@example.vn")
    binh = create_customer(actor=None, full_name="Trần Thị Bình", phone="0987654321", email="binh@example.vn")
    return Shop(an=an, binh=binh)
