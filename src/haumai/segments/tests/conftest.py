"""A small world of customers and orders for segment and recommendation tests (written with the ORM)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Category, Product
from haumai.core import clock
from haumai.customers.models import Address, Customer, Province
from haumai.sales.models import Channel, Order, OrderLine

NOW = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)


class World:
    """Builds customers, products and orders; codes count up."""

    def __init__(self) -> None:
        self.channel = Channel.objects.create(code="website", name="Website", kind="website")
        self.phones = Category.objects.create(code="dien-thoai", name="Điện thoại")
        self.purifiers = Category.objects.create(code="may-loc-nuoc", name="Máy lọc nước")
        self.customers = 0
        self.orders = 0

    def product(self, sku: str, price: int = 1_000_000, category: Category | None = None) -> Product:
        return Product.objects.create(sku=sku, name=sku, search_key=sku.lower(), price=price, category=category)

    def customer(self, name: str = "Nguyễn Văn An", **fields: Any) -> Customer:
        self.customers += 1
        fields.setdefault("phone", f"+8491{self.customers:07d}")
        return Customer.objects.create(code=f"CUS-2026-{self.customers:06d}", full_name=name,
                                       search_key=name.lower(), **fields)  # fmt: skip

    def order(self, customer: Customer, *products: Product, days_ago: int = 1, status: str = "delivered") -> Order:
        self.orders += 1
        placed = NOW - dt.timedelta(days=days_ago)
        total = sum(p.price for p in products)
        order = Order.objects.create(code=f"ORD-2026-{self.orders:06d}", channel=self.channel, customer=customer,
                                     status=status, placed_at=placed, total=total)  # fmt: skip
        for product in products:
            OrderLine.objects.create(order=order, product=product, unit_price=product.price, line_total=product.price)
        return order

    def address(self, customer: Customer, province: Province) -> Address:
        return Address.objects.create(customer=customer, street="1 Lê Lợi", province=province, is_default=True)


@pytest.fixture
def world(db: Any) -> World:
    clock.freeze(NOW)
    return World()
