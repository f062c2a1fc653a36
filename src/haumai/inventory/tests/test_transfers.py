"""Transfers between warehouses: both sides of the ledger, in transit in between, refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.catalog.models import Product, Unit
from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import StockLevel, StockMove, Transfer, TransferStatus, Warehouse
from haumai.inventory.selectors import in_transit
from haumai.inventory.services import move_stock
from haumai.inventory.tests.conftest import post
from haumai.inventory.transfers import (
    TransferLineInput,
    cancel_transfer,
    receive_transfer,
    request_transfer,
    ship_transfer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi(db: Any) -> Warehouse:
    return Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")


def _level(product: Product, warehouse: Warehouse, grade: str = "new") -> int:
    level = StockLevel.objects.filter(product=product, warehouse=warehouse, grade=grade).first()
    return level.quantity if level else 0


def test_request_ship_receive_moves_both_sides(make_staff: Any, product: Product, warehouse: Warehouse,
                                              hanoi: Warehouse) -> None:  # fmt: skip
    keeper = make_staff("warehouse")
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=10, reason="receipt")
    transfer, created = request_transfer(
        actor=keeper, source=warehouse, destination=hanoi, lines=[TransferLineInput(product=product, quantity=4)]
    )
    assert created and transfer.code.startswith("TR-") and transfer.status == TransferStatus.REQUESTED
    assert _level(product, warehouse) == 10  # a request moves nothing yet
    ship_transfer(actor=keeper, transfer=transfer)
    assert _level(product, warehouse) == 6 and _level(product, hanoi) == 0
    assert [line.quantity for line in in_transit(sku="FAN-1")] == [4]
    ship_transfer(actor=keeper, transfer=transfer)  # shipping twice changes nothing
    receive_transfer(actor=keeper, transfer=transfer)
    receive_transfer(actor=keeper, transfer=transfer)
    assert _level(product, warehouse) == 6 and _level(product, hanoi) == 4
    moves = StockMove.objects.filter(reference=transfer.code).order_by("pk")
    assert [(m.warehouse.code, m.quantity, m.reason) for m in moves] == [
        ("kho-hcm", -4, "transfer_out"),
        ("kho-hn", 4, "transfer_in"),
    ]
    assert not in_transit().exists()
    names = list(Event.objects.filter(name__startswith="transfer.").order_by("pk").values_list("name", flat=True))
    assert names == ["transfer.requested", "transfer.shipped", "transfer.received"]


def test_more_than_in_stock_is_refused_and_nothing_changes(make_staff: Any, product: Product,
                                                           warehouse: Warehouse, hanoi: Warehouse) -> None:  # fmt: skip
    keeper = make_staff("warehouse")
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=3, reason="receipt")
    two = [TransferLineInput(product=product, quantity=2), TransferLineInput(product=product, quantity=2)]
    with pytest.raises(ValidationFailed) as caught:
        request_transfer(actor=keeper, source=warehouse, destination=hanoi, lines=two)
    assert caught.value.errors[0].code == "insufficient_stock"
    assert "3 on hand, 4 asked" in caught.value.errors[0].message
    with pytest.raises(ValidationFailed) as same:
        request_transfer(actor=keeper, source=warehouse, destination=warehouse,
                         lines=[TransferLineInput(product=product, quantity=1)])  # fmt: skip
    assert same.value.errors[0].code == "same_warehouse"
    with pytest.raises(ValidationFailed):
        request_transfer(actor=keeper, source=warehouse, destination=hanoi, lines=[])
    assert not Transfer.objects.exists() and StockMove.objects.count() == 1


def test_stock_gone_before_shipping_refuses_the_ship_whole(make_staff: Any, product: Product,
                                                           warehouse: Warehouse, hanoi: Warehouse) -> None:  # fmt: skip
    keeper = make_staff("warehouse")
    other = Product.objects.create(sku="FAN-2", name="Quạt bàn", search_key="quat ban", price=300_000)
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=2, reason="receipt")
    move_stock(actor=keeper, product=other, warehouse=warehouse, grade="new", quantity=2, reason="receipt")
    transfer, _ = request_transfer(actor=keeper, source=warehouse, destination=hanoi, lines=[
        TransferLineInput(product=product, quantity=2), TransferLineInput(product=other, quantity=2)])  # fmt: skip
    move_stock(actor=keeper, product=other, warehouse=warehouse, grade="new", quantity=-1, reason="sale")
    with pytest.raises(ValidationFailed) as caught:
        ship_transfer(actor=keeper, transfer=transfer)
    assert caught.value.errors[0].code == "insufficient_stock"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
    assert _level(product, warehouse) == 2  # the first line's move was rolled back with the rest
    cancel_transfer(actor=keeper, transfer=transfer)
    with pytest.raises(Conflict):
        ship_transfer(actor=keeper, transfer=transfer)


def test_a_serial_in_transit_is_nowhere_else(make_staff: Any, warehouse: Warehouse, hanoi: Warehouse) -> None:
    keeper = make_staff("warehouse")
    phone = Product.objects.create(sku="PHONE-7", name="Phone", search_key="phone", price=1, is_serialized=True)
    unit = Unit.objects.create(product=phone, serial="IMEI-777")
    move_stock(actor=keeper, product=phone, warehouse=warehouse, grade="new", quantity=1, reason="receipt", unit=unit)
    with pytest.raises(ValidationFailed) as unnamed:
        request_transfer(
            actor=keeper, source=warehouse, destination=hanoi, lines=[TransferLineInput(product=phone, quantity=1)]
        )
    assert unnamed.value.errors[0].code == "required"
    transfer, _ = request_transfer(actor=keeper, source=warehouse, destination=hanoi,
                                   lines=[TransferLineInput(product=phone, quantity=1, unit=unit)])  # fmt: skip
    ship_transfer(actor=keeper, transfer=transfer)
    third = Warehouse.objects.create(code="kho-dn", name="Kho Đà Nẵng")
    with pytest.raises(ValidationFailed) as caught:
        move_stock(actor=keeper, product=phone, warehouse=third, grade="new", quantity=1, reason="receipt", unit=unit)
    assert caught.value.errors[0].code == "serial_in_transit"
    receive_transfer(actor=keeper, transfer=transfer)
    assert _level(phone, hanoi) == 1 and _level(phone, warehouse) == 0
    with pytest.raises(ValidationFailed) as again:
        move_stock(actor=keeper, product=phone, warehouse=third, grade="new", quantity=1, reason="receipt", unit=unit)
    assert again.value.errors[0].code == "serial_in_stock"


def test_api_transfer_round_trip_and_permissions(api_client_for: Any, make_staff: Any, product: Product,
                                                 warehouse: Warehouse, hanoi: Warehouse) -> None:  # fmt: skip
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    body = {"source": "kho-hcm", "destination": "kho-hn", "lines": [{"sku": "FAN-1", "quantity": 2}],
            "idempotency_key": "tr-1"}  # fmt: skip
    denied = post(api_client_for("agent"), "/api/v1/stock/transfers", body)
    assert denied.status_code == 403 and not Transfer.objects.exists()
    client = api_client_for("warehouse")
    created = post(client, "/api/v1/stock/transfers", body)
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert post(client, "/api/v1/stock/transfers", body).status_code == 200  # a replay: the same transfer
    assert Transfer.objects.count() == 1
    bad = post(
        client, "/api/v1/stock/transfers", {**body, "idempotency_key": "", "lines": [{"sku": "FAN-1", "quantity": 9}]}
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["code"] == "insufficient_stock"
    unknown = post(client, "/api/v1/stock/transfers", {**body, "idempotency_key": "", "destination": "nowhere"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "destination"
    assert post(client, f"/api/v1/stock/transfers/{code}/ship", {}).json()["status"] == "in_transit"
    received = post(client, f"/api/v1/stock/transfers/{code}/receive", {})
    assert received.json()["status"] == "received" and received.json()["lines"][0]["quantity"] == 2
    assert post(client, f"/api/v1/stock/transfers/{code}/cancel", {}).status_code == 409
    listed = client.get("/api/v1/stock/transfers?warehouse=kho-hn").json()
    assert [t["code"] for t in listed["items"]] == [code]
    assert _level(product, hanoi) == 2
