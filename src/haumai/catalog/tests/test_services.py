"""Catalog services: products and selling serialised units."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.catalog import services
from haumai.catalog.models import Product, Unit, UnitStatus
from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event


def test_create_product(make_staff: Any, phones: Any) -> None:
    product = services.create_product(
        actor=make_staff("manager"),
        sku=" TV-55 ",
        name="Tivi Sony 55 inch",
        brand="Sony",
        category_code="phones",
        price=12_000_000,
    )
    assert product.sku == "TV-55"
    assert product.search_key == "tivi sony 55 inch"
    assert Event.objects.filter(name="product.created").count() == 1


def test_product_rules(make_staff: Any, phone_product: Any) -> None:
    actor = make_staff("manager")
    with pytest.raises(ValidationFailed) as info:
        services.create_product(actor=actor, sku="X", name="", price=-1, category_code="nope")
    assert {e.field for e in info.value.errors} == {"name", "price", "category_code"}
    with pytest.raises(Conflict):
        services.create_product(actor=actor, sku="IP15-128", name="Dup")
    assert Product.objects.count() == 1


def test_update_product_records_changed_fields(make_staff: Any, phone_product: Any) -> None:
    services.update_product(actor=make_staff("manager"), product=phone_product, price=18_990_000, brand="Apple")
    event = Event.objects.get(name="product.updated")
    assert event.payload["fields"] == ["price"]


def test_sell_unit_creates_then_refuses_second_sale(make_staff: Any, phone_product: Any) -> None:
    actor = make_staff("manager")
    unit = services.sell_unit(actor=actor, product=phone_product, serial="SN1", imei="356789012345678")
    assert unit.status == UnitStatus.SOLD
    with pytest.raises(services.UnitAlreadySold):
        services.sell_unit(actor=actor, product=phone_product, serial="SN1", imei=None)
    services.release_units(actor=actor, unit_ids=[unit.pk])
    again = services.sell_unit(actor=actor, product=phone_product, serial=None, imei="356789012345678")
    assert again.pk == unit.pk


def test_sell_unit_of_other_product_is_refused(make_staff: Any, phone_product: Any) -> None:
    actor = make_staff("manager")
    other = Product.objects.create(sku="TV", name="TV", search_key="tv")
    services.create_unit(actor=actor, product=other, serial="SN2")
    with pytest.raises(ValidationFailed) as info:
        services.sell_unit(actor=actor, product=phone_product, serial="SN2", imei=None, field_prefix="lines.0.")
    assert info.value.errors[0].field == "lines.0.serial"
    assert Unit.objects.get(serial="SN2").status == UnitStatus.IN_STOCK


def test_create_unit_validation(make_staff: Any, phone_product: Any) -> None:
    actor = make_staff("manager")
    with pytest.raises(ValidationFailed) as info:
        services.create_unit(actor=actor, product=phone_product, serial="", imei="12ab")
    assert {e.field for e in info.value.errors} == {"imei"}
    with pytest.raises(ValidationFailed) as info:
        services.create_unit(actor=actor, product=phone_product, serial=" ")
    assert {e.field for e in info.value.errors} == {"serial"}
    services.create_unit(actor=actor, product=phone_product, serial="A1")
    with pytest.raises(Conflict):
        services.create_unit(actor=actor, product=phone_product, serial="A1")
    assert Unit.objects.count() == 1
