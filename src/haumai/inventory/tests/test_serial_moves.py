"""A serialised unit is in at most one place, its status follows its moves, a return restocks it once."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.catalog.models import Product, Unit, UnitStatus
from haumai.core.errors import ValidationFailed
from haumai.inventory.models import StockLevel, StockMove, Warehouse
from haumai.inventory.services import move_stock
from haumai.inventory.tests.conftest import post

URL = "/api/v1/stock/moves"


@pytest.fixture
def phone(db: Any) -> Product:
    return Product.objects.create(sku="PHONE-9", name="Phone", search_key="phone", price=9_000_000, is_serialized=True)


def move(actor: Any, phone: Product, warehouse: Warehouse, unit: Unit, quantity: int, reason: str, **extra: Any) -> Any:
    return move_stock(
        actor=actor, product=phone, warehouse=warehouse, grade=extra.pop("grade", "new"), quantity=quantity,
        reason=reason, unit=unit, **extra,
    )  # fmt: skip


def refused(call: Any) -> str:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.errors[0].code


def snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    return (
        list(StockMove.objects.order_by("pk").values_list("pk", flat=True)),
        list(StockLevel.objects.order_by("pk").values_list("quantity", flat=True)),
        list(Unit.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_a_unit_in_stock_cannot_be_received_again(make_staff: Any, phone: Product, warehouse: Warehouse) -> None:
    actor = make_staff("warehouse")
    unit = Unit.objects.create(product=phone, serial="IMEI-1")
    move(actor, phone, warehouse, unit, 1, "receipt")
    other = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    before = snapshot()
    assert refused(lambda: move(actor, phone, warehouse, unit, 1, "receipt")) == "serial_in_stock"
    assert refused(lambda: move(actor, phone, other, unit, 1, "transfer_in")) == "serial_in_stock"
    assert snapshot() == before


def test_a_unit_leaves_only_the_place_it_is_in(make_staff: Any, phone: Product, warehouse: Warehouse) -> None:
    actor = make_staff("warehouse")
    first, second = (Unit.objects.create(product=phone, serial=f"IMEI-{n}") for n in (1, 2))
    move(actor, phone, warehouse, first, 1, "receipt")
    other = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    move(actor, phone, other, second, 1, "receipt")
    before = snapshot()
    # The level of kho-hcm has one phone, but not this one.
    assert refused(lambda: move(actor, phone, warehouse, second, -1, "sale")) == "serial_not_here"
    assert refused(lambda: move(actor, phone, warehouse, first, -1, "sale", grade="B")) == "serial_not_here"
    assert snapshot() == before


def test_status_follows_the_moves(make_staff: Any, phone: Product, warehouse: Warehouse) -> None:
    actor = make_staff("warehouse")
    unit = Unit.objects.create(product=phone, serial="IMEI-1", status=UnitStatus.IN_STOCK)
    move(actor, phone, warehouse, unit, 1, "receipt")
    move(actor, phone, warehouse, unit, -1, "sale", reference="ORD-1")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.SOLD
    move(actor, phone, warehouse, unit, 1, "return_restock", reference="RMA-1", grade="A")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.IN_STOCK
    move(actor, phone, warehouse, unit, -1, "scrap", grade="A")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.SCRAPPED
    assert sum(StockMove.objects.filter(unit=unit).values_list("quantity", flat=True)) == 0


def test_a_sold_unit_comes_back_only_through_a_return(make_staff: Any, phone: Product, warehouse: Warehouse) -> None:
    actor = make_staff("warehouse")
    unit = Unit.objects.create(product=phone, serial="IMEI-1", status=UnitStatus.SOLD)
    before = snapshot()
    assert refused(lambda: move(actor, phone, warehouse, unit, 1, "receipt")) == "serial_sold"
    assert refused(lambda: move(actor, phone, warehouse, unit, 1, "adjustment")) == "serial_sold"
    assert snapshot() == before
    move(actor, phone, warehouse, unit, 1, "return_restock", reference="RMA-1")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.IN_STOCK


def test_a_return_restocks_a_unit_once(make_staff: Any, phone: Product, warehouse: Warehouse) -> None:
    actor = make_staff("warehouse")
    unit = Unit.objects.create(product=phone, serial="IMEI-1", status=UnitStatus.SOLD)
    move(actor, phone, warehouse, unit, 1, "return_restock", reference="RMA-1")
    move(actor, phone, warehouse, unit, -1, "sale", reference="ORD-2")
    before = snapshot()
    assert refused(lambda: move(actor, phone, warehouse, unit, 1, "return_restock", reference="RMA-1")) == (
        "already_restocked"
    )
    assert snapshot() == before


def test_the_api_restocks_a_return_once(api_client_for: Any, product: Product, warehouse: Warehouse) -> None:
    client = api_client_for("warehouse")
    restock = {"sku": "FAN-1", "warehouse": "kho-hcm", "grade": "B", "quantity": 2, "reason": "return_restock",
               "reference": "RMA-2026-000001"}  # fmt: skip
    assert post(client, URL, restock).status_code == 201
    before = snapshot()
    again = post(client, URL, restock)
    assert again.status_code == 422, again.content
    assert again.json()["error"]["fields"][0]["code"] == "already_restocked"
    assert snapshot() == before
    assert post(client, URL, {**restock, "reference": ""}).status_code == 422  # a restock names its return


def test_the_api_refuses_receiving_a_sold_unit(api_client_for: Any, phone: Product, warehouse: Warehouse) -> None:
    Unit.objects.create(product=phone, serial="IMEI-7", status=UnitStatus.SOLD)
    client = api_client_for("warehouse")
    response = post(
        client, URL, {"sku": "PHONE-9", "warehouse": "kho-hcm", "grade": "new", "quantity": 1, "reason": "receipt",
                      "serial": "IMEI-7"},
    )  # fmt: skip
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["code"] == "serial_sold"
    assert not StockMove.objects.exists()
    assert Unit.objects.get().status == UnitStatus.SOLD
