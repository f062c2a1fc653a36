"""Fixtures for payments tests: an order, its payments, and the local VNPay/MoMo servers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from haumai.core import scheduler
from haumai.customers.models import Customer
from haumai.payments.models import Payment
from haumai.payments.services import record_payment
from haumai.sales.models import Channel, Order
from haumai.testing.payments import LocalPayments, local_payments

PAID_AT = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def pay(settings: Any) -> Iterator[LocalPayments]:
    with local_payments(slow_seconds=1.0) as state:
        state.configure(settings, http_timeout=0.4)
        yield state


@pytest.fixture
def make_order(db: Any) -> Callable[..., Order]:
    counter = {"n": 0}

    def make(total: int = 2_000_000) -> Order:
        counter["n"] += 1
        n = counter["n"]
        channel, _ = Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
        customer = Customer.objects.create(
            code=f"CUS-2026-9{n:05d}", full_name="Nguyễn Thị Lan", search_key="nguyen thi lan", phone=f"+8491200{n:04d}"
        )
        return Order.objects.create(
            code=f"ORD-2026-9{n:05d}", channel=channel, customer=customer, placed_at=PAID_AT, total=total
        )

    return make


@pytest.fixture
def paid_order(make_order: Callable[..., Order]) -> Callable[..., tuple[Order, Payment]]:
    """An order paid in full through a provider."""

    def make(method: str = "vnpay", total: int = 2_000_000) -> tuple[Order, Payment]:
        order = make_order(total)
        payment, _ = record_payment(
            order=order,
            method=method,
            amount_vnd=total,
            provider_transaction_ref=f"{order.code}-P",
            provider_transaction_no=str(70_000_000 + order.pk),
            paid_at=PAID_AT,
        )
        return order, payment

    return make


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any) -> Callable[[], dict[str, int]]:
    """One scheduler tick for the payments source, running the provider calls made after commit."""
    from haumai.payments.sending import SOURCE

    def run() -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            handled = scheduler.run_source(SOURCE, batch_size=50)
        return {SOURCE.name: handled}

    return run
