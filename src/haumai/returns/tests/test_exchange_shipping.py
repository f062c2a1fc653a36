"""Exchanges ship: the replacement gets an outbound shipment booked with the carrier (the same book call as
pickups), tracked by the carrier's webhooks, and shown on the portal and console return pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haumai.catalog.models import Product
from haumai.customers.models import Ward
from haumai.events.models import Event
from haumai.inventory.services import move_stock
from haumai.returns import logistics, services
from haumai.returns.models import Status
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_integration import ghn_pickup, push
from haumai.testing.carriers import LocalCarriers

pytestmark = pytest.mark.django_db


def exchanged(shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]) -> Any:
    """A GHN pickup for an exchange of the same phone, picked up, delivered, received and inspected."""
    Product.objects.filter(sku="PHONE-1").update(weight_grams=450, length_cm=20, width_cm=12, height_cm=8)
    move_stock(
        actor=None, product=Product.objects.get(sku="PHONE-1"), warehouse=shop.warehouse, grade="new",
        quantity=1, reason="receipt",
    )  # fmt: skip
    request = ghn_pickup(shop, ward, settings, resolution="exchange_same")
    tick()
    request.refresh_from_db()
    push(carriers, request.tracking_code, "picked")
    push(carriers, request.tracking_code, "delivered")
    tick()
    request.refresh_from_db()
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="A", disposition="restock")
    request.refresh_from_db()
    return request


def test_the_replacement_is_booked_with_the_carrier_and_tracked(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None], make_staff: Any
) -> None:
    request = exchanged(shop, ward, settings, carriers, tick)
    assert request.status == Status.EXCHANGED and request.exchange_order_code, request.problem
    (replacement,) = logistics.replacement_shipments(request)
    assert replacement.direction == "forward" and replacement.carrier.code == "ghn"
    assert replacement.recipient["street"] == "45 Lê Lợi" and replacement.recipient["ward_code"] == ward.code
    assert replacement.sender["warehouse"] == "wh-hcm"
    assert replacement.parcel["weight_grams"] == 450 and replacement.parcel["length"] == 20

    tick()  # the worker books it with GHN
    replacement.refresh_from_db()
    assert replacement.status == "pickup_scheduled" and replacement.tracking_code
    create = [r for r in carriers.requests_to("ghn") if r.path == "/v2/shipping-order/create"][-1].json()
    assert create["client_order_code"] == replacement.code
    assert create["to_address"] == "45 Lê Lợi" and create["weight"] == 450
    assert create["from_address"] == "12 Nguyễn Huệ"  # the returns warehouse address

    push(carriers, replacement.tracking_code, "picked")
    tick()
    push(carriers, replacement.tracking_code, "picked")  # a replayed report changes nothing
    tick()
    push(carriers, replacement.tracking_code, "delivered")
    tick()
    names = list(
        Event.objects.filter(subject_type="returns.returnrequest", subject_id=str(request.pk))
        .filter(name__startswith="return.replacement")
        .values_list("name", flat=True)
    )
    assert names == ["return.replacement_shipped", "return.replacement_delivered"]
    request.refresh_from_db()
    assert request.status == Status.EXCHANGED and not request.problem

    agent = Client()
    agent.force_login(make_staff("agent"))
    page = agent.get(f"/console/returns/{request.code}/").content.decode()
    assert replacement.tracking_code in page and 'data-direction="forward"' in page


def test_a_failed_replacement_delivery_is_flagged(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    request = exchanged(shop, ward, settings, carriers, tick)
    tick()
    (replacement,) = logistics.replacement_shipments(request)
    replacement.refresh_from_db()

    push(carriers, replacement.tracking_code, "delivery_fail")
    tick()

    request.refresh_from_db()
    assert request.status == Status.EXCHANGED
    assert request.problem.startswith("Replacement delivery:")


def test_no_address_for_the_replacement_is_flagged_and_the_exchange_stands(
    shop: Shop, tick: Callable[[], None]
) -> None:
    move_stock(
        actor=None, product=Product.objects.get(sku="PHONE-1"), warehouse=shop.warehouse, grade="new",
        quantity=1, reason="receipt",
    )  # fmt: skip
    request, _created = services.create_return(
        actor=None, customer=shop.customer, order=shop.order, lines=[services.LineInput(serial="SN-0001")],
        reason="defective", resolution="exchange_same", logistics="store_dropoff", warehouse_code="wh-hcm",
    )  # fmt: skip
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="C", disposition="refurbish")

    request.refresh_from_db()
    assert request.status == Status.EXCHANGED and request.exchange_order_code
    assert "no address to send the replacement to" in request.problem
    assert logistics.replacement_shipments(request) == []


def test_the_portal_shows_the_replacement_shipment(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    from haumai.returns.tests.test_portal import portal

    request = exchanged(shop, ward, settings, carriers, tick)
    tick()
    (replacement,) = logistics.replacement_shipments(request)
    replacement.refresh_from_db()

    page = portal(shop.customer).get(f"/portal/returns/{request.code}/").content.decode()

    section = page[page.index('id="replacement"') :][:1200]
    assert request.exchange_order_code in section
    assert replacement.tracking_code in section and "Giao Hàng Nhanh" in section
    other = portal(shop.other).get(f"/portal/returns/{request.code}/")
    assert other.status_code == 404  # another customer sees nothing
