"""The reverse parcel's weight and box come from the products returned, not one size for everything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haumai.catalog.models import Product
from haumai.catalog.services import update_product
from haumai.core.errors import ValidationFailed
from haumai.customers.models import Ward
from haumai.returns import logistics, services
from haumai.returns.services import LineInput
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_integration import ghn_pickup
from haumai.testing.carriers import LocalCarriers

pytestmark = pytest.mark.django_db


def sized(sku: str, grams: int, length: int, width: int, height: int) -> Product:
    return update_product(
        actor=None, product=Product.objects.get(sku=sku), weight_grams=grams, length_cm=length, width_cm=width,
        height_cm=height,
    )  # fmt: skip


def test_weights_add_up_and_the_box_stacks(shop: Shop) -> None:
    sized("PHONE-1", 450, 20, 12, 8)
    lines = list(shop.order.lines.select_related("product"))  # the phone and 2 cases (unsized)
    for line in lines:
        line.quantity = 1 if line.product.sku == "PHONE-1" else 2
    assert logistics.parcel_size(lines) == (450 + 2 * 500, 30, 20, 8 + 2 * 15)


def test_the_carrier_gets_the_products_weight(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    sized("PHONE-1", 450, 20, 12, 8)
    request = ghn_pickup(shop, ward, settings, lines=[LineInput(serial="SN-0001")])
    tick()
    body = next(r for r in carriers.requests_to("ghn") if r.path == "/v2/shipping-order/create").json()
    assert (body["weight"], body["length"], body["width"], body["height"]) == (450, 20, 12, 8), request.problem


def test_a_fridge_is_too_heavy_for_a_carrier_but_not_for_our_staff(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    sized("PHONE-1", 72_000, 70, 68, 180)  # as heavy and tall as a 335 L fridge

    by_carrier = ghn_pickup(shop, ward, settings, lines=[LineInput(serial="SN-0001")])
    assert by_carrier.status == "approved" and "own staff" in by_carrier.problem  # flagged, nothing booked
    assert logistics.shipments_for(by_carrier) == []
    services.cancel_return(actor=None, request=by_carrier)

    request = ghn_pickup(shop, ward, settings, lines=[LineInput(serial="SN-0001")], logistics="staff_pickup",
                         carrier_code="")  # fmt: skip
    shipment = logistics.shipments_for(request)[0]
    assert shipment.carrier.code == "own_fleet" and shipment.parcel["weight_grams"] == 72_000


def test_sizes_are_checked_on_the_product(shop: Shop) -> None:
    product = Product.objects.get(sku="PHONE-1")
    with pytest.raises(ValidationFailed) as refused:
        update_product(actor=None, product=product, weight_grams=-1, height_cm=400)
    assert {e.field for e in refused.value.errors} == {"weight_grams", "height_cm"}
    product.refresh_from_db()
    assert product.weight_grams == 0 and product.height_cm == 0
