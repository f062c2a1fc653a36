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
    barrier = threading.Barrier(8)
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
