"""move_stock: ledger + level in one transaction, never below zero."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import ImmutableRecord, StockLevel, StockMove
from haumai.inventory.services import move_stock


def test_moves_update_level_and_write_ledger(make_staff: Any, product: Any, warehouse: Any) -> None:
    actor = make_staff("warehouse")
    move_stock(actor=actor, product=product, warehouse=warehouse, grade="new", quantity=10, reason="receipt")
    move = move_stock(
        actor=actor, product=product, warehouse=warehouse, grade="new", quantity=-4, reason="sale", reference="ORD-1"
    )
    assert StockLevel.objects.get(product=product, warehouse=warehouse, grade="new").quantity == 6
    assert list(StockMove.objects.order_by("id").values_list("quantity", flat=True)) == [10, -4]
    assert move.actor == actor
    event = Event.objects.filter(name="stock.moved").order_by("-id").first()
    assert event.payload["quantity"] == -4
    assert event.payload["reference"] == "ORD-1"
    from haumai.console.timeline import describe

    text = describe(event).text  # staff read the warehouse's name, not its code
    assert warehouse.name in text and f" {warehouse.code} " not in text


def test_refuses_going_negative_and_changes_nothing(make_staff: Any, product: Any, warehouse: Any) -> None:
    actor = make_staff("warehouse")
    move_stock(actor=actor, product=product, warehouse=warehouse, grade="B", quantity=2, reason="return_restock",
               reference="RMA-1")  # fmt: skip
    with pytest.raises(ValidationFailed) as info:
        move_stock(actor=actor, product=product, warehouse=warehouse, grade="B", quantity=-3, reason="sale")
    error = info.value.errors[0]
    assert error.code == "insufficient_stock"
    assert error.message == "Not enough stock of FAN-1 (B — open box) in Kho Hồ Chí Minh: 2 on hand, cannot take 3"
    assert StockLevel.objects.get(grade="B").quantity == 2
    assert StockMove.objects.count() == 1


def test_negative_move_on_empty_level(make_staff: Any, product: Any, warehouse: Any) -> None:
    with pytest.raises(ValidationFailed):
        move_stock(
            actor=make_staff("warehouse"),
            product=product,
            warehouse=warehouse,
            grade="new",
            quantity=-1,
            reason="scrap",
        )
    assert StockMove.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"grade": "Z"}, "grade"),
        ({"reason": "theft"}, "reason"),
    ],
)
def test_input_validation(make_staff: Any, product: Any, warehouse: Any, kwargs: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"grade": "new", "quantity": 1, "reason": "receipt", **kwargs}
    with pytest.raises(ValidationFailed) as info:
        move_stock(actor=make_staff("warehouse"), product=product, warehouse=warehouse, **arguments)
    assert info.value.errors[0].field == field
    assert StockMove.objects.count() == 0
    assert not StockLevel.objects.filter(quantity__gt=0).exists()


def test_ledger_is_immutable(make_staff: Any, product: Any, warehouse: Any) -> None:
    move = move_stock(
        actor=make_staff("warehouse"), product=product, warehouse=warehouse, grade="new", quantity=1, reason="receipt"
    )
    with pytest.raises(ImmutableRecord):
        move.save()
