"""Parallel transfers and restocks on PostgreSQL: stock never overdrawn, published availability never stale."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core.errors import DomainError
from haumai.events.models import Event
from haumai.inventory.models import ChannelAllocation, ChannelStock, StockLevel, StockMove, Transfer, Warehouse
from haumai.inventory.services import move_stock
from haumai.inventory.transfers import TransferLineInput, receive_transfer, request_transfer, ship_transfer
from haumai.sales.models import Channel

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")


def _race(count: int, work: Callable[[int], str]) -> list[str]:
    barrier = threading.Barrier(count, timeout=60)
    outcomes: list[str] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(index))
        except DomainError as exc:
            outcomes.append(exc.errors[0].code if exc.errors else exc.code)
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_ships_of_competing_transfers_never_overdraw(make_staff: Any, product: Any, warehouse: Any) -> None:
    keeper = make_staff("warehouse")
    hanoi = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    transfers = [
        request_transfer(
            actor=keeper, source=warehouse, destination=hanoi, lines=[TransferLineInput(product=product, quantity=2)]
        )[0]
        for _ in range(6)
    ]
    outcomes = _race(6, lambda i: ship_transfer(actor=keeper, transfer=transfers[i]).status)
    assert sorted(outcomes) == ["in_transit"] * 2 + ["insufficient_stock"] * 4, outcomes
    assert StockLevel.objects.get(product=product, warehouse=warehouse).quantity == 1
    assert StockMove.objects.filter(reason="transfer_out").count() == 2
    assert Transfer.objects.filter(status="requested").count() == 4


@pytest.mark.django_db(transaction=True)
def test_parallel_receives_of_one_transfer_land_once(make_staff: Any, product: Any, warehouse: Any) -> None:
    keeper = make_staff("warehouse")
    hanoi = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    transfer, _ = request_transfer(actor=keeper, source=warehouse, destination=hanoi,
                                   lines=[TransferLineInput(product=product, quantity=3)])  # fmt: skip
    ship_transfer(actor=keeper, transfer=transfer)
    outcomes = _race(8, lambda _i: receive_transfer(actor=keeper, transfer=transfer).status)
    assert outcomes == ["received"] * 8, outcomes
    assert StockLevel.objects.get(product=product, warehouse=hanoi).quantity == 3
    assert StockMove.objects.filter(reason="transfer_in").count() == 1
    assert Event.objects.filter(name="transfer.received").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_restocks_publish_the_true_quantity(product: Any, warehouse: Any) -> None:
    channel = Channel.objects.create(code="outlet", name="Outlet", kind="marketplace")
    ChannelAllocation.objects.create(channel=channel, grades="B")
    hanoi = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    places = [warehouse, hanoi]

    def restock(index: int) -> str:
        move_stock(actor=None, product=product, warehouse=places[index % 2], grade="B", quantity=1,
                   reason="return_restock", reference=f"RMA-2026-{index:06d}")  # fmt: skip
        return "restocked"

    outcomes = _race(10, restock)
    assert outcomes == ["restocked"] * 10, outcomes
    assert ChannelStock.objects.get(product=product, channel=channel).available == 10
    announced = sorted(e.payload["available"] for e in Event.objects.filter(name="stock.available_changed"))
    assert announced == list(range(1, 11))  # each restock announced its own step, none stale or repeated
