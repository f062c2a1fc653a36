"""Order services: idempotent upsert and the status machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Unit, UnitStatus
from haumai.core.errors import Conflict, ValidationFailed
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.sales import services
from haumai.sales.models import Order, OrderLine, OrderStatus

LINES = [
    services.OrderLineInput(sku="IP15", quantity=1, unit_price=19_500_000, serial="SN-1"),
    services.OrderLineInput(sku="CASE", quantity=2, unit_price=150_000),
]
BUYER = services.CustomerRef(phone="0912345678", full_name="Lan")
PLACED = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)


def push(actor: Any, external_id: str = "SO-1", **kwargs: Any) -> tuple[Order, bool]:
    arguments: dict[str, Any] = {
        "customer": BUYER,
        "lines": LINES,
        "channel_code": "shopee",
        "external_id": external_id,
        "placed_at": PLACED,
    }
    arguments.update(kwargs)
    return services.upsert_order(actor=actor, **arguments)


def test_upsert_creates_order_customer_units_and_events(make_staff: Any, shopee: Any, products: Any) -> None:
    order, created = push(make_staff("agent"))
    assert created
    assert order.code.startswith("ORD-")
    assert order.total == 19_800_000
    assert order.customer.phone == "+84912345678"
    assert Unit.objects.get(serial="SN-1").status == UnitStatus.SOLD
    assert OrderLine.objects.filter(order=order).count() == 2
    names = set(Event.objects.values_list("name", flat=True))
    assert names == {"customer.created", "order.created"}


def test_replay_returns_same_order_and_changes_nothing(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    placed = dt.datetime(2026, 3, 1, 3, tzinfo=dt.UTC)
    order, _ = push(actor, placed_at=placed)
    events = Event.objects.count()
    again, created = push(actor, placed_at=placed.astimezone(dt.timezone(dt.timedelta(hours=7))))
    assert (again.pk, created) == (order.pk, False)
    assert Order.objects.count() == 1
    assert Event.objects.count() == events


def test_same_external_id_other_content_is_conflict(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    order, _ = push(actor)
    other_lines = [services.OrderLineInput(sku="CASE", quantity=3, unit_price=150_000)]
    with pytest.raises(Conflict) as info:
        push(actor, lines=other_lines)
    assert order.code in info.value.message
    assert "different content" in info.value.message
    assert Order.objects.count() == 1


def test_serial_sold_on_another_order(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    first, _ = push(actor, "SO-1")
    with pytest.raises(ValidationFailed) as info:
        push(actor, "SO-2")
    error = info.value.errors[0]
    assert error.field == "lines.0.serial"
    assert error.message == f"Serial SN-1 was already sold on order {first.code}"
    assert Order.objects.count() == 1


def test_line_validation(make_staff: Any, shopee: Any, products: Any) -> None:
    lines = [
        services.OrderLineInput(sku="NOPE", quantity=1, unit_price=1),
        services.OrderLineInput(sku="CASE", quantity=0, unit_price=-1),
        services.OrderLineInput(sku="IP15", quantity=2, unit_price=1, serial="S"),
    ]
    with pytest.raises(ValidationFailed) as info:
        push(make_staff("agent"), lines=lines)
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("lines.0.sku", "unknown_sku"),
        ("lines.1.quantity", "min_value"),
        ("lines.1.unit_price", "invalid_amount"),
        ("lines.2.quantity", "serial_quantity"),
    ]
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0


def test_status_machine(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    order, _ = push(actor)
    for status in ("confirmed", "shipped", "delivered"):
        order = services.change_order_status(actor=actor, order=order, status=status)
    assert order.delivered_at is not None
    with pytest.raises(Conflict) as info:
        services.change_order_status(actor=actor, order=order, status="cancelled")
    assert "cannot go from delivered to cancelled" in info.value.message
    same = services.change_order_status(actor=actor, order=order, status="delivered")
    assert same.delivered_at == order.delivered_at
    services.change_order_status(actor=actor, order=order, status="completed")
    names = list(Event.objects.filter(name__startswith="order.").values_list("name", flat=True).order_by("id"))
    assert names.count("order.status_changed") == 4
    assert "order.delivered" in names and "order.completed" in names


def test_cancel_releases_units(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    order, _ = push(actor)
    services.change_order_status(actor=actor, order=order, status=OrderStatus.CANCELLED)
    assert Unit.objects.get(serial="SN-1").status == UnitStatus.IN_STOCK
    second, created = push(actor, "SO-2")
    assert created
    assert second.lines.filter(unit__serial="SN-1").exists()


def test_order_pushed_as_delivered(make_staff: Any, shopee: Any, products: Any) -> None:
    order, _ = push(make_staff("agent"), status="delivered")
    assert order.delivered_at == order.placed_at
    assert Event.objects.filter(name="order.delivered", subject_id=str(order.pk)).exists()


def test_order_pushed_as_cancelled_does_not_keep_serial_sold(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    push(actor, "SO-1", status="cancelled")
    assert Unit.objects.get(serial="SN-1").status == UnitStatus.IN_STOCK
    _second, created = push(actor, "SO-2")
    assert created
    assert Unit.objects.get(serial="SN-1").status == UnitStatus.SOLD


def test_fingerprint_matches_csv_imports(make_staff: Any, shopee: Any, products: Any) -> None:
    from haumai.sales.bulk import order_fingerprint

    order, _ = push(make_staff("agent"))
    assert order.content_hash == order_fingerprint(
        channel="shopee", external_id="SO-1", placed_at=PLACED, status="placed", customer_phone="+84912345678",
        store="", delivered_at=None, lines=[("CASE", 2, 150_000, "", ""), ("IP15", 1, 19_500_000, "SN-1", "")],
    )  # fmt: skip


def test_external_id_needs_placed_at(make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    with pytest.raises(ValidationFailed) as info:
        push(actor, placed_at=None)
    assert info.value.errors[0].field == "placed_at"
    assert Order.objects.count() == 0
    order, created = push(actor, external_id=None, placed_at=None)
    assert created and order.external_id is None
