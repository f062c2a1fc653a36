"""Fixtures for journey tests: a customer with an e-mail, an order through sales services, a clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Category, Product
from haumai.core import clock, scheduler
from haumai.customers.models import Consent, Customer
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import Journey
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, change_order_status, upsert_order

# 10:00 in Ho Chi Minh City: outside quiet hours.
MORNING = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_journey_cache() -> None:
    """Tests switch journeys on and off with update(); never reuse another test's cached list."""
    forget_journeys()


@pytest.fixture
def morning() -> dt.datetime:
    clock.freeze(MORNING)
    return MORNING


@pytest.fixture
def catalog(db: Any) -> dict[str, Product]:
    appliances = Category.objects.create(code="dien-may", name="Điện máy")
    aircon = Category.objects.create(code="dieu-hoa", name="Điều hòa", parent=appliances)
    Channel.objects.create(code="website", name="Website", kind="website")
    return {
        "AC": Product.objects.create(
            sku="AC-1", name="Điều hòa Daikin 1HP", search_key="dieu hoa daikin", price=9_000_000,
            category=aircon, warranty_months=24, warranty_start="delivery",
        ),
        "CASE": Product.objects.create(sku="CASE", name="Ốp lưng", search_key="op lung", price=150_000),
    }  # fmt: skip


def place_order(*, phone: str = "0912345678", email: str | None = "lan@example.vn", sku: str = "AC-1") -> Order:
    """An order placed on the website for a (new) customer."""
    order, _ = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(phone=phone, full_name="Nguyễn Thị Lan", email=email),
        lines=[OrderLineInput(sku=sku, quantity=1, unit_price=9_000_000)],
        external_id=f"W-{phone}-{sku}",
        placed_at=clock.now() - dt.timedelta(days=3),
    )
    return order


def deliver(order: Order) -> Order:
    """Move an order to delivered through the sales services."""
    for status in ("confirmed", "shipped", "delivered"):
        order = change_order_status(actor=None, order=order, status=status)
    return order


SOURCES = ("events.dispatch", "journeys.enrollment", "journeys.runs")


def tick(capture: Any, *, send: bool = False) -> dict[str, int]:
    """One scheduler tick over the sources journeys depend on, with on-commit callbacks executed.

    Other apps' sources are left out so these tests exercise journeys only; `send=True` also lets
    messaging deliver (only where a local provider server is configured).
    """
    counts: dict[str, int] = {}
    wanted = (*SOURCES, "messaging.deliveries") if send else SOURCES
    with capture(execute=True):
        for source in scheduler.registered():
            if source.name in wanted:
                counts[source.name] = scheduler.run_source(source, batch_size=500)
    return counts


def only(*keys: str) -> None:
    """Switch off every built-in journey but these."""
    Journey.objects.exclude(key__in=keys).update(is_active=False)
    forget_journeys()


def grant(customer: Customer, purpose: str, channel: str, granted: bool = True) -> None:
    Consent.objects.update_or_create(
        customer=customer, purpose=purpose, channel=channel,
        defaults={"granted": granted, "recorded_at": clock.now(), "source": "test"},
    )  # fmt: skip


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks
