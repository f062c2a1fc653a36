"""Warranty lookups stay index reads at millions of units: no full scan of the big tables (query plans)."""

from __future__ import annotations

import pytest

from haumai.testing.plans import full_scans
from haumai.warranty import selectors
from haumai.warranty.models import Warranty
from haumai.warranty.tests.conftest import Shop, deliver

pytestmark = pytest.mark.django_db

BIG_TABLES = ("warranty_warranty", "catalog_unit", "customers_customer", "sales_order", "sales_orderline")


def test_every_lookup_reads_through_indexes(shop: Shop) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001", imei="356789012345678")
    warranty = Warranty.objects.select_related("unit", "customer").get()
    unit, customer, order_code = warranty.unit, warranty.customer, order.code
    assert selectors.public_by_serial(unit.serial)
    assert selectors.public_by_order(phone=customer.phone, order_code=order_code)
    lookups = {
        "serial": lambda: selectors.public_by_serial(unit.serial),
        "phone + order": lambda: selectors.public_by_order(phone=customer.phone, order_code=order_code),
        "staff by phone": lambda: list(selectors.warranty_list(q=customer.phone)[:21]),
        "staff by serial": lambda: list(selectors.warranty_list(q=unit.serial)[:21]),
        "staff by order": lambda: list(selectors.warranty_list(order_code=order_code)[:21]),
        "staff by customer": lambda: list(selectors.warranty_list(customer_code=customer.code)[:21]),
    }
    for name, run in lookups.items():
        assert full_scans(run, BIG_TABLES) == [], name
