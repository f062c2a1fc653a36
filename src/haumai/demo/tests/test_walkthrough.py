from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from haumai.core import clock
from haumai.demo.walkthrough import returnable_example
from haumai.payments.models import Payment
from haumai.sales.models import Order


@pytest.mark.django_db
def test_demo_data_offers_a_returnable_vnpay_order_by_vnpay_or_momo(settings: Any) -> None:
    clock.freeze(dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC))
    call_command("demo", "--customers", "2000", "--seed", "42", verbosity=0)

    example = returnable_example()

    assert example is not None
    order = Order.objects.get(code=example["order"])
    assert example["login"] in (order.customer.email, order.customer.phone)
    assert order.status == "delivered"
    assert order.delivered_at is not None and clock.now() - order.delivered_at <= dt.timedelta(days=6)
    assert Payment.objects.filter(order=order, method=example["method"], method__in=["vnpay", "momo"]).exists()


@pytest.mark.django_db
def test_no_example_without_data() -> None:
    assert returnable_example() is None
