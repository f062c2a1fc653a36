"""The signed order webhook: new order 201, retry 200, conflict 409, bad signature/body refused, nothing lost."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from haumai.core.signatures import body_signature
from haumai.events.models import Event
from haumai.sales.models import Order, OrderLine
from haumai.sales.tests.conftest import order_body

URL = "/hooks/orders/"
SECRET = "whsec-test-2026"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.HAUMAI_ORDER_WEBHOOK_SECRET = SECRET


def send(body: Any, *, secret: str = SECRET, raw: bytes | None = None, client: Client | None = None) -> Any:
    data = raw if raw is not None else json.dumps(body).encode()
    return (client or Client()).post(
        URL, data=data, content_type="application/json", HTTP_X_HAUMAI_SIGNATURE=body_signature(secret, data)
    )


@pytest.mark.django_db
def test_a_platform_pushes_an_order_and_its_retry_is_answered_with_the_same_order(shopee: Any, products: Any) -> None:
    first = send(order_body())
    assert first.status_code == 201, first.content
    order = Order.objects.get()
    assert first.json()["code"] == order.code and first.json()["total"] == 19_800_000
    assert first.json()["customer"]["phone"].startswith("+8491") and "*" in first.json()["customer"]["phone"]
    created = Event.objects.get(name="order.created")
    assert created.actor_label == "webhook:orders"
    events = Event.objects.count()
    retry = send(order_body())
    assert retry.status_code == 200 and retry.json()["code"] == order.code
    assert Order.objects.count() == 1 and Event.objects.count() == events


@pytest.mark.django_db
def test_the_same_order_id_with_other_content_is_a_conflict(shopee: Any, products: Any) -> None:
    send(order_body())
    changed = send(order_body(lines=[{"sku": "CASE", "quantity": 5, "unit_price": 150_000}]))
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "idempotency_conflict"
    assert OrderLine.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sign_with", "raw", "status", "code"),
    [
        ("another-secret", None, 401, "bad_signature"),
        ("", None, 401, "bad_signature"),
        (SECRET, b"{not json", 400, "malformed"),
        (SECRET, b"\xff\xfe", 400, "malformed"),
        (SECRET, json.dumps({"channel": "shopee", "lines": []}).encode(), 422, "validation_failed"),
    ],
)
def test_bad_calls_are_refused_and_store_nothing(
    shopee: Any, products: Any, sign_with: str, raw: bytes | None, status: int, code: str
) -> None:
    response = send(order_body(), secret=sign_with, raw=raw)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert Order.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_sku_names_the_field_and_no_secret_refuses_everything(
    settings: Any, shopee: Any, products: Any
) -> None:
    unknown = send(order_body(lines=[{"sku": "NOPE", "quantity": 1, "unit_price": 1}]))
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "lines.0.sku"
    settings.HAUMAI_ORDER_WEBHOOK_SECRET = ""
    assert send(order_body(), secret="").status_code == 401
    assert Client().get(URL).status_code == 405
    assert Order.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_deliveries_of_one_order_store_it_once(shopee: Any, products: Any) -> None:
    workers = 8
    start = threading.Barrier(workers, timeout=30)
    statuses: list[int] = []

    def run() -> None:
        try:
            client = Client()
            start.wait()
            statuses.append(send(order_body(), client=client).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * (workers - 1) + [201]
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 2


@pytest.mark.django_db
def test_an_order_with_its_delivery_gets_its_watched_shipment_without_a_staff_permission(
    shopee: Any, products: Any
) -> None:
    from haumai.shipping.models import Shipment

    body = {**order_body(), "delivery": {"carrier": "ghn", "tracking_code": "GHN-HOOK-1"}}
    answer = send(body)
    assert answer.status_code == 201, answer.content
    shipment = Shipment.objects.get()
    assert (shipment.reference, shipment.tracking_code) == (answer.json()["code"], "GHN-HOOK-1")
    again = send(body)  # the platform's retry: the same order, still one shipment
    assert again.status_code == 200 and Shipment.objects.count() == 1
    taken = send({**order_body(), "external_id": "SHOPEE-OTHER", "delivery": {"carrier": "ghn",
                                                                             "tracking_code": "GHN-HOOK-1"}})
    assert taken.status_code in (409, 422) and Order.objects.count() == 1  # a code of another order: nothing stored
