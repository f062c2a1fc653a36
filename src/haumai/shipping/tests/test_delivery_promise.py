"""A delivery pushed with its order, and lateness against the date promised to the customer."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import clock, scheduler
from haumai.events.models import Event
from haumai.sales.models import Order
from haumai.shipping.models import Shipment
from haumai.shipping.services.lateness import handle_late, pending_late
from haumai.shipping.services.outbound import register_outbound
from haumai.shipping.tests.test_outbound import _order
from haumai.shipping.tests.test_webhooks import DELIVERED, post

URL = "/api/v1/orders"
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def _push(customer: Any, **delivery: Any) -> dict[str, Any]:
    from haumai.catalog.models import Product
    from haumai.catalog.services import create_product
    from haumai.sales.models import Channel

    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    if not Product.objects.filter(sku="NOI-1").exists():
        create_product(actor=None, sku="NOI-1", name="Nồi cơm điện", price=900_000)
    return {
        "channel": "website", "external_id": delivery.pop("external_id", "WEB-77"),
        "customer": {"code": customer.code}, "placed_at": (NOW - dt.timedelta(hours=3)).isoformat(),
        "lines": [{"sku": "NOI-1", "quantity": 1, "unit_price": 900_000}],
        "delivery": {"carrier": "ghn", "tracking_code": "GHN-PUSH-1", **delivery},
    }  # fmt: skip


@pytest.fixture
def frozen() -> Any:
    clock.freeze(NOW)
    yield
    clock.unfreeze()


@pytest.mark.django_db
def test_an_order_pushed_with_its_tracking_code_is_watched(api_client_for: Any, customer: Any, frozen: Any) -> None:
    api = api_client_for("manager")
    body = _push(customer, promised_at=(NOW + dt.timedelta(days=2)).isoformat())
    created = api.post(URL, body, content_type="application/json")
    assert created.status_code == 201, created.content
    shipment = Shipment.objects.get()
    assert (shipment.reference, shipment.tracking_code, shipment.direction) == (
        created.json()["code"],
        "GHN-PUSH-1",
        "forward",
    )
    assert shipment.promised_at == NOW + dt.timedelta(days=2) and shipment.late_due_at == shipment.promised_at
    assert shipment.due_at is not None  # stuck detection too
    assert api.post(URL, body, content_type="application/json").status_code == 200  # a replay
    assert Shipment.objects.count() == 1 and Order.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delivery", "status", "field"),
    [
        ({"carrier": "own_fleet"}, 422, "carrier"),
        ({"tracking_code": "a b"}, 422, "tracking_code"),
        ({"promised_at": "2027-12-01T10:00:00+07:00"}, 422, "delivery.promised_at"),
    ],
)
def test_bad_delivery_refuses_the_whole_push(api_client_for: Any, customer: Any, frozen: Any,
                                             delivery: dict[str, str], status: int, field: str) -> None:  # fmt: skip
    response = api_client_for("manager").post(URL, _push(customer, **delivery), content_type="application/json")
    assert response.status_code == status, response.content
    assert field in str(response.json())
    assert not Order.objects.filter(external_id="WEB-77").exists() and not Shipment.objects.exists()


@pytest.mark.django_db
def test_a_tracking_code_of_another_order_refuses_the_push(api_client_for: Any, customer: Any,
                                                           make_staff: Any, frozen: Any) -> None:  # fmt: skip
    other = _order(customer)
    register_outbound(
        actor=make_staff("manager"), order_code=other.code, carrier_code="ghn", tracking_code="GHN-PUSH-1"
    )
    response = api_client_for("manager").post(URL, _push(customer), content_type="application/json")
    assert response.status_code == 409 and other.code in response.json()["error"]["message"]
    assert not Order.objects.filter(external_id="WEB-77").exists()
    assert Shipment.objects.count() == 1


@pytest.mark.django_db
def test_late_once_when_not_delivered_by_the_promise(customer: Any, make_staff: Any, frozen: Any) -> None:
    order = _order(customer)
    promise = NOW + dt.timedelta(days=1)
    shipment = register_outbound(
        actor=make_staff("manager"), order_code=order.code, carrier_code="ghn", tracking_code="GHN-LATE-1",
        promised_at=promise,
    ).shipment  # fmt: skip
    scheduler.tick()
    assert not Event.objects.filter(name="shipment.late").exists()  # not due yet
    clock.advance(dt.timedelta(days=1, hours=5))
    scheduler.tick()
    scheduler.tick()
    late = Event.objects.get(name="shipment.late")
    assert late.customer_id == customer.pk and late.payload["hours_late"] == 5
    assert late.payload["promised_at"].startswith("2026-12-02")
    shipment.refresh_from_db()
    assert shipment.late_at is not None and shipment.late_due_at is None


@pytest.mark.django_db
def test_delivered_in_time_is_not_late(carriers: Any, customer: Any, make_staff: Any, frozen: Any) -> None:
    order = _order(customer)
    register_outbound(actor=make_staff("manager"), order_code=order.code, carrier_code="ghn",
                      tracking_code="GHN-OK-1", promised_at=NOW + dt.timedelta(days=1))  # fmt: skip
    assert post(carriers.webhook("ghn", "GHN-OK-1", DELIVERED["ghn"])).status_code == 200
    clock.advance(dt.timedelta(days=3))
    scheduler.tick()
    assert not Event.objects.filter(name="shipment.late").exists()
    assert not pending_late().exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_flag_a_late_delivery_once(customer: Any, make_staff: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    order = _order(customer)
    manager = make_staff("manager")
    for n in range(20):
        register_outbound(actor=manager, order_code=order.code, carrier_code="ghn", tracking_code=f"GHN-PAR-{n}",
                          promised_at=clock.now() + dt.timedelta(seconds=1))  # fmt: skip
    Shipment.objects.update(late_due_at=clock.now() - dt.timedelta(seconds=1))
    barrier = threading.Barrier(4, timeout=60)
    errors: list[str] = []

    def work() -> None:
        try:
            barrier.wait()
            scheduler.tick()
        except BaseException as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Event.objects.filter(name="shipment.late").count() == 20
    assert len({e.subject_id for e in Event.objects.filter(name="shipment.late")}) == 20
    handle_late(list(Shipment.objects.all()))  # a late shipment is never announced twice
    assert Event.objects.filter(name="shipment.late").count() == 20
