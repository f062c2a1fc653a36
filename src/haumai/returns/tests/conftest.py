"""Fixtures for returns tests: a shop with a delivered order of a serialised phone and a plain accessory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from haumai.catalog.models import Category
from haumai.catalog.services import create_product
from haumai.core import clock, scheduler
from haumai.customers.models import Customer, Province, Ward
from haumai.customers.services import create_customer
from haumai.inventory.models import Warehouse
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.testing.carriers import LocalCarriers, local_carriers
from haumai.testing.payments import LocalPayments, local_payments

DELIVERED = dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC)  # 01/11 10:00 in Vietnam


@dataclass
class Shop:
    customer: Customer
    other: Customer
    order: Order
    warehouse: Warehouse
    channel: Channel


def make_order(
    customer: Customer, *, lines: list[OrderLineInput], delivered_at: dt.datetime = DELIVERED, external_id: str = ""
) -> Order:
    order, _created = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=lines,
        external_id=external_id or None,
        placed_at=delivered_at - dt.timedelta(days=2),
        status="delivered",
        delivered_at=delivered_at,
        payment_method="vnpay",
    )
    return order


@pytest.fixture
def shop(db: Any) -> Shop:
    clock.freeze(DELIVERED + dt.timedelta(days=3))
    channel, _ = Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    phones = Category.objects.create(code="phones", name="Phones")
    create_product(actor=None, sku="PHONE-1", name="Phone One", price=10_000_000, is_serialized=True,
                   category_code=phones.code)
    create_product(actor=None, sku="CASE-1", name="Case", price=200_000)
    create_product(actor=None, sku="PHONE-2", name="Phone Two", price=12_000_000, is_serialized=True)
    province = Province.objects.order_by("code").first()
    warehouse = Warehouse.objects.create(code="wh-hcm", name="Kho HCM", province=province)
    customer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0901234567")
    other = create_customer(actor=None, full_name="Trần Thị Bình", phone="0907654321")
    order = make_order(
        customer,
        lines=[
            OrderLineInput(sku="PHONE-1", quantity=1, unit_price=10_000_000, serial="SN-0001"),
            OrderLineInput(sku="CASE-1", quantity=2, unit_price=200_000),
        ],
    )
    return Shop(customer=customer, other=other, order=order, warehouse=warehouse, channel=channel)


# The local carrier and payment servers and the worker tick, for the integration tests.
@pytest.fixture
def carriers(settings: Any) -> Iterator[LocalCarriers]:
    with local_carriers(timeout_seconds=0.5) as local:
        for name, value in local.settings().items():
            setattr(settings, name, value)
        settings.HAUMAI_SHIPPING_READ_TIMEOUT = "0.3"
        yield local


@pytest.fixture
def pay(settings: Any) -> Iterator[LocalPayments]:
    with local_payments(slow_seconds=1.0) as state:
        state.configure(settings, http_timeout=0.4)
        yield state


@pytest.fixture
def tick(django_capture_on_commit_callbacks: Any) -> Callable[[], None]:
    """Run the worker: every scheduler source, twice (booking, then the events it wrote)."""

    def run() -> None:
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                scheduler.tick()

    return run


@pytest.fixture
def ward() -> Ward:
    return Ward.objects.select_related("province").order_by("code").first()  # type: ignore[return-value]


@pytest.fixture
def paid(shop: Shop) -> Shop:
    from haumai.payments.services import record_payment

    record_payment(
        order=shop.order,
        method="vnpay",
        amount_vnd=shop.order.total,
        provider_transaction_ref=f"{shop.order.code}-P",
        provider_transaction_no="70000001",
        paid_at=DELIVERED - dt.timedelta(days=2),
    )
    return shop
