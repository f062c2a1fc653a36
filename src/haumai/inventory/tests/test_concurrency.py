"""Concurrent takes never overdraw stock (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core.errors import ValidationFailed
from haumai.inventory.models import StockLevel, StockMove
from haumai.inventory.services import move_stock

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")


@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_stop_at_zero(make_staff: Any, product: Any, warehouse: Any) -> None:
    actor = make_staff("warehouse")
    move_stock(actor=actor, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    barrier = threading.Barrier(8, timeout=60)
    outcomes: list[str] = []

    def take() -> None:
        try:
            barrier.wait()
            move_stock(actor=actor, product=product, warehouse=warehouse, grade="new", quantity=-1, reason="sale")
            outcomes.append("taken")
        except ValidationFailed as exc:
            outcomes.append(exc.errors[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["insufficient_stock"] * 3 + ["taken"] * 5
    assert StockLevel.objects.get().quantity == 0
    assert StockMove.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_parallel_receipts_of_one_serial_accept_one(make_staff: Any, warehouse: Any) -> None:
    from haumai.catalog.models import Product, Unit

    actor = make_staff("warehouse")
    phone = Product.objects.create(sku="PHONE-9", name="Phone", search_key="phone", price=1, is_serialized=True)
    unit = Unit.objects.create(product=phone, serial="IMEI-RACE")
    barrier = threading.Barrier(20, timeout=60)
    outcomes: list[str] = []

    def receive() -> None:
        try:
            barrier.wait()
            move_stock(actor=actor, product=phone, warehouse=warehouse, grade="new", quantity=1, reason="receipt",
                       unit=unit)  # fmt: skip
            outcomes.append("received")
        except ValidationFailed as exc:
            outcomes.append(exc.errors[0].code)
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["received"] + ["serial_in_stock"] * 19, outcomes
    assert sum(StockMove.objects.filter(unit=unit).values_list("quantity", flat=True)) == 1
    assert StockLevel.objects.get(product=phone).quantity == 1
