"""Public lookup: by phone + order code or serial/IMEI, warranty records, first name only, rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from haumai.core import clock
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.portal.models import LookupAttempt
from haumai.portal.tests.conftest import PLACED, Shop, make_order
from haumai.sales.models import OrderStatus
from haumai.sales.services import change_order_status

NOT_FOUND = "We found nothing for these details"


def _deliver(order: object) -> None:
    for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        change_order_status(actor=None, order=order, status=status)  # type: ignore[arg-type]
    dispatch_events(list(pending_dispatch()))  # the worker starts the warranties


def test_lookup_by_phone_and_order_code(client: Client, shop: Shop) -> None:
    _deliver(shop.an_order)
    clock.freeze(PLACED + dt.timedelta(days=30))
    response = client.post("/portal/lookup/", {"phone": "+84 912 345 678", "order_code": shop.an_order.code.lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="lookup-result"' in body
    assert shop.an_order.code in body
    assert "iPhone 15" in body and "SN-AN-001" in body
    assert "Customer: An" in body
    assert "Nguyễn" not in body and "0912" not in body and "+8491" not in body and "an.nguyen" not in body
    assert "12-month warranty" in body
    assert "Under warranty until 28/02/2027" in body  # from the warranty record (12 months from 01/03/2026)
    assert 'data-warranty="active"' in body


def test_lookup_by_serial_and_imei(client: Client, shop: Shop) -> None:
    make_order(shop.an, sku="IP15", serial="SN-IMEI-1", days=1)
    body = client.post("/portal/lookup/", {"serial": "SN-AN-001"}).content.decode()
    assert 'id="lookup-result"' in body and shop.an_order.code in body and "SN-AN-001" in body
    assert "SN-IMEI-1" not in body  # only the unit asked about


def test_lookup_warranty_from_delivery_and_activation_and_expired(client: Client, shop: Shop) -> None:
    from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

    order, _created = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=shop.an.code),
        lines=[
            OrderLineInput(sku="FAN", quantity=1, unit_price=900_000),
            OrderLineInput(sku="TV", quantity=1, unit_price=9_000_000, serial="TV-1"),
            OrderLineInput(sku="CASE", quantity=1, unit_price=150_000),
        ],
        placed_at=PLACED,
    )
    clock.freeze(PLACED + dt.timedelta(days=2))
    body = client.post("/portal/lookup/", {"phone": "0912345678", "order_code": order.code}).content.decode()
    assert "The warranty is recorded when the order is delivered." in body
    assert "The warranty starts on the day the product is activated." in body
    assert "No warranty for this product." in body
    _deliver(order)
    body = client.post("/portal/lookup/", {"phone": "0912345678", "order_code": order.code}).content.decode()
    assert "The warranty is not activated yet" in body and 'data-warranty="pending"' in body  # the TV's record
    clock.freeze(PLACED + dt.timedelta(days=400))
    body = client.post("/portal/lookup/", {"phone": "0912345678", "order_code": order.code}).content.decode()
    assert 'data-warranty="not_started"' in body  # the fan has no serial, so no warranty record


@pytest.mark.parametrize(
    "data",
    [
        {"phone": "0987654321", "order_code": "ORD-2026-000001"},  # Bình's phone, An's order
        {"phone": "0912345678", "order_code": "ORD-2026-999999"},  # unknown code
        {"phone": "0912000111", "order_code": "ORD-2026-000001"},  # phone of nobody
        {"serial": "NO-SUCH-SERIAL"},
    ],
)
def test_wrong_combination_is_not_found(client: Client, shop: Shop, data: dict[str, str]) -> None:
    assert shop.an_order.code == "ORD-2026-000001"
    response = client.post("/portal/lookup/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND in body
    assert 'id="lookup-result"' not in body


def test_lookup_rate_limit(client: Client, shop: Shop) -> None:
    clock.freeze(PLACED)
    for _ in range(10):
        assert client.post("/portal/lookup/", {"serial": "NO-SUCH"}).status_code == 200
    response = client.post("/portal/lookup/", {"serial": "SN-AN-001"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many lookups from your network" in body
    assert 'id="lookup-result"' not in body
    other_address = client.post("/portal/lookup/", {"serial": "SN-AN-001"}, REMOTE_ADDR="10.0.0.9")
    assert 'id="lookup-result"' in other_address.content.decode()
    clock.advance(dt.timedelta(minutes=10, seconds=1))
    assert 'id="lookup-result"' in client.post("/portal/lookup/", {"serial": "SN-AN-001"}).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"phone": "0" * 10_000, "order_code": "ORD-2026-000001"},
        {"phone": "0912345678", "order_code": "x" * 10_000},
        {"serial": "S" * 10_000},
        {"serial": "' OR '1'='1"},
        {"phone": "0912345678", "order_code": "ORD'; DROP TABLE sales_order; --"},
        {"serial": "<script>alert(1)</script>"},
        {"phone": "<b>0912345678</b>", "order_code": "ORD-2026-000001"},
        {"phone": "0912345678"},
        {},
        {"phone": "0912345678", "order_code": "ORD-2026-000001", "serial": "SN-AN-001"},
    ],
)
def test_hostile_lookup_input(client: Client, shop: Shop, data: dict[str, str]) -> None:
    response = client.post("/portal/lookup/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in body or 'id="form-errors"' in body
    assert "<script>alert(1)</script>" not in body
    assert 'id="lookup-result"' not in body
    assert LookupAttempt.objects.count() == 0


def test_lookup_page_is_public(client: Client, shop: Shop) -> None:
    response = client.get("/portal/lookup/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
