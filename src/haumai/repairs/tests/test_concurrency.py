"""Parallel technicians taking the last units of a part: never negative stock, the rest wait for parts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from haumai.inventory.models import StockLevel, StockMove
from haumai.repairs import services
from haumai.repairs.models import PartUsage, RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop, deliver

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_parallel_part_use_never_overdraws(shop: Workshop) -> None:
    orders = []
    for index in range(WORKERS):
        unit = deliver(shop.an, sku="SS-A55", serial=f"R58PAR{index:03d}")
        order = services.receive_unit(
            actor=shop.agent,
            unit=unit,
            customer=shop.an,
            service_center=shop.center,
            description="Vỡ màn hình",
            condition="Vỡ góc",
            accessories=[],
        )
        services.start_diagnosis(actor=shop.technician, order=order)
        services.send_quote(
            actor=shop.technician,
            order=order,
            diagnosis="Thay màn",
            lines=[QuoteLineInput(kind="part", sku=shop.screen.sku, unit_price=0, unit_cost=1_000_000)],
        )
        orders.append(services.start_repair(actor=shop.technician, order=order))
    barrier = threading.Barrier(WORKERS, timeout=60)
    outcomes: list[str] = []

    def take(order: RepairOrder) -> None:
        try:
            barrier.wait()
            services.use_part(actor=shop.technician, order=order, part=shop.screen)
            outcomes.append("used")
        except services.PartsOutOfStock:
            outcomes.append("waiting")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["used", "used"] + ["waiting"] * (WORKERS - 2)
    level = StockLevel.objects.get(product=shop.screen, warehouse=shop.warehouse, grade="new")
    assert level.quantity == 0
    assert PartUsage.objects.count() == 2
    assert StockMove.objects.filter(reason="repair_part").count() == 2
    assert RepairOrder.objects.filter(status=RepairStatus.WAITING_PARTS).count() == WORKERS - 2
