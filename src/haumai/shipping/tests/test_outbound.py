"""Deliveries the retailer booked itself: registered by carrier + tracking code, one code per parcel (also
under parallel requests), then moved by the carrier's webhooks like any shipment."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.events.models import Event
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.shipping.models import Shipment
from haumai.shipping.services.outbound import register_outbound
from haumai.shipping.tests.test_webhooks import PICKED, post

URL = "/api/v1/shipments/outbound"


def _order(customer: Any, n: int = 1) -> Order:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    if not n - 1:
        create_product(actor=None, sku="QUAT-1", name="Quạt đứng Senko", price=450_000)
    order, _created = upsert_order(
        actor=None, channel_code="website", customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku="QUAT-1", quantity=1, unit_price=450_000)], external_id=f"WEB-{n}",
        placed_at=clock.now() - dt.timedelta(hours=n),
    )  # fmt: skip
    return order


@pytest.mark.django_db
def test_register_replay_and_a_code_taken_by_another_order(api_client_for: Any, customer: Any) -> None:
    first, second = _order(customer, 1), _order(customer, 2)
    api = api_client_for("agent")
    body = {"order": first.code, "carrier": "ghn", "tracking_code": "GHN-LX7Q2"}
    created = api.post(URL, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["direction"], data["status"], data["reference"]) == ("forward", "pickup_scheduled", first.code)
    shipment = Shipment.objects.get()
    assert shipment.customer_id == customer.pk and shipment.due_at is not None  # stuck detection watches it
    assert api.post(URL, body, content_type="application/json").status_code == 200
    taken = api.post(URL, {**body, "order": second.code}, content_type="application/json")
    assert taken.status_code == 409 and first.code in taken.json()["error"]["message"]
    assert Shipment.objects.count() == 1 and Event.objects.filter(name="shipment.created").count() == 1
    # The same code at another carrier is another parcel.
    assert api.post(URL, {**body, "order": second.code, "carrier": "ghtk"},
                    content_type="application/json").status_code == 201  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order": "ORD-2026-999999"}, "order"),
        ({"carrier": "own_fleet"}, "carrier"),
        ({"tracking_code": "a b"}, "tracking_code"),
        ({"tracking_code": "<script>"}, "tracking_code"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    api_client_for: Any, customer: Any, change: dict[str, str], field: str
) -> None:
    order = _order(customer)
    body = {"order": order.code, "carrier": "ghn", "tracking_code": "GHN-LX7Q2", **change}
    response = api_client_for("agent").post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert field in {f["field"].split(".")[-1] for f in response.json()["error"]["fields"]}
    assert Shipment.objects.count() == 0


@pytest.mark.django_db
def test_a_cancelled_order_and_a_user_without_the_permission_are_refused(api_client_for: Any, customer: Any) -> None:
    order = _order(customer)
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    body = {"order": order.code, "carrier": "ghn", "tracking_code": "GHN-LX7Q2"}
    refused = api_client_for("agent").post(URL, body, content_type="application/json")
    assert refused.status_code == 422 and "cancelled" in refused.json()["error"]["message"] + str(refused.json())
    Order.objects.filter(pk=order.pk).update(status="placed")
    assert api_client_for("technician").post(URL, body, content_type="application/json").status_code == 403
    assert Shipment.objects.count() == 0


@pytest.mark.django_db
def test_the_carriers_webhook_moves_a_registered_delivery(carriers: Any, customer: Any, make_staff: Any) -> None:
    order = _order(customer)
    registered = register_outbound(actor=make_staff("agent"), order_code=order.code, carrier_code="ghtk",
                                   tracking_code="S1.A1.17373471")  # fmt: skip
    response = post(carriers.webhook("ghtk", "S1.A1.17373471", PICKED["ghtk"]))
    assert response.status_code == 200
    registered.shipment.refresh_from_db()
    assert registered.shipment.status == "picked_up"
    event = Event.objects.get(name="shipment.picked_up")
    assert event.customer_id == customer.pk and event.payload["direction"] == "forward"


@pytest.mark.django_db(transaction=True)
def test_one_code_claimed_by_eight_orders_at_once_goes_to_one(customer: Any, make_staff: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    orders = [_order(customer, n) for n in range(1, 9)]
    agent = make_staff("agent")
    outcomes: list[str] = []
    barrier = threading.Barrier(8, timeout=60)

    def claim(order: Order) -> None:
        try:
            barrier.wait()
            register_outbound(actor=agent, order_code=order.code, carrier_code="ghn", tracking_code="GHN-RACE-1")
            outcomes.append("registered")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["registered"]
    assert Shipment.objects.filter(tracking_code="GHN-RACE-1").count() == 1
