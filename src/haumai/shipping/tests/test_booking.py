"""Booking in the worker against the local carrier servers: success per carrier, retries, giving up."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.core.errors import DomainError
from haumai.events.models import Event
from haumai.shipping.models import Shipment
from haumai.shipping.services import cancel_shipment, retry_booking_now

START = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


def run_worker() -> int:
    """One pass of the shipping due-row source, as the worker's scheduler tick runs it."""
    source = next(s for s in scheduler.registered() if s.name == "shipping.due")
    return scheduler.run_source(source, batch_size=50)


def events_of(shipment: Shipment) -> list[str]:
    rows = Event.objects.filter(subject_type="shipping.shipment", subject_id=str(shipment.pk)).order_by("id")
    return list(rows.values_list("name", flat=True))


@pytest.mark.parametrize("carrier_code", ["ghn", "ghtk", "viettel_post", "jt", "ninjavan"])
def test_worker_books_with_each_carrier(carriers: Any, make_shipment: Any, carrier_code: str) -> None:
    clock.freeze(START)
    shipment = make_shipment(carrier_code)

    assert run_worker() == 1

    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled"
    assert shipment.tracking_code
    assert shipment.label_text
    assert shipment.booking_attempts == 1 and shipment.booking_error == ""
    assert shipment.due_at == START + dt.timedelta(hours=48)  # now waiting for tracking news
    assert events_of(shipment) == ["shipment.created", "shipment.booked"]
    assert carriers.order(carrier_code, shipment.tracking_code)  # the carrier stored the order
    assert run_worker() == 0  # nothing due any more


def test_ghn_request_carries_the_documented_fields(carriers: Any, make_shipment: Any) -> None:
    shipment = make_shipment("ghn")
    run_worker()

    create = next(r for r in carriers.requests_to("ghn") if r.path == "/v2/shipping-order/create")
    body = create.json()
    assert create.headers["token"] == "ghn-local-token" and create.headers["shopid"] == "885"
    assert body["client_order_code"] == shipment.code
    assert body["from_phone"] == "0912345678"
    assert body["weight"] == 1200 and body["length"] == 30
    assert body["items"] == [{"name": "Tai nghe Sony WH-1000XM5", "code": "SONY-XM5", "quantity": 1}]
    shipment.refresh_from_db()
    assert shipment.label_url.startswith(carriers.base_url("ghn") + "/a5/public-api/printA5?token=")
    assert shipment.fee == 22000


def test_jt_books_a_return_order_signed_with_the_digest(carriers: Any, make_shipment: Any) -> None:
    make_shipment("jt")
    run_worker()

    request = carriers.requests_to("jt")[0]
    biz = json.loads(request.form()["bizContent"])
    assert request.path == "/api/order/addOrder"
    assert biz["orderType"] == "2"
    assert biz["sender"]["mobile"] == "0912345678"


def test_timeout_and_5xx_are_retried_with_growing_delays(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(START)
    carriers.fail_next("ghtk", "timeout")
    carriers.fail_next("ghtk", "5xx")
    shipment = make_shipment("ghtk")

    run_worker()
    shipment.refresh_from_db()
    assert shipment.status == "created" and shipment.booking_attempts == 1
    assert "timeout" in shipment.booking_error
    assert shipment.due_at == START + dt.timedelta(seconds=60)
    assert run_worker() == 0  # not due yet

    clock.freeze(START + dt.timedelta(seconds=61))
    run_worker()
    shipment.refresh_from_db()
    assert shipment.booking_attempts == 2 and "502" in shipment.booking_error
    assert shipment.due_at == START + dt.timedelta(seconds=61 + 120)

    clock.freeze(START + dt.timedelta(seconds=200))
    run_worker()
    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled" and shipment.booking_attempts == 3
    assert events_of(shipment) == ["shipment.created", "shipment.booked"]


def test_gives_up_after_the_configured_attempts(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(START)
    carriers.fail_next("viettel_post", "5xx", times=5)
    shipment = make_shipment("viettel_post")

    for minutes in (0, 2, 5):
        clock.freeze(START + dt.timedelta(minutes=minutes))
        run_worker()

    shipment.refresh_from_db()
    assert shipment.booking_attempts == 3
    assert shipment.booking_failed_at is not None and shipment.due_at is None
    assert events_of(shipment) == ["shipment.created", "shipment.booking_failed"]
    failed = Event.objects.get(name="shipment.booking_failed")
    assert failed.payload["attempts"] == 3 and "502" in failed.payload["error"]


def test_a_documented_error_answer_fails_at_once(carriers: Any, make_shipment: Any) -> None:
    carriers.fail_next("ninjavan", "error")  # the OAuth call gets the error payload
    shipment = make_shipment("ninjavan")

    run_worker()

    shipment.refresh_from_db()
    assert shipment.booking_failed_at is not None and shipment.booking_attempts == 1
    assert "Ninja Van" in shipment.booking_error


@pytest.mark.parametrize("carrier_code", ["ghn", "ghtk", "viettel_post", "jt"])
def test_error_payload_of_each_carrier_is_recorded(carriers: Any, make_shipment: Any, carrier_code: str) -> None:
    carriers.fail_next(carrier_code, "error")
    shipment = make_shipment(carrier_code)

    run_worker()

    shipment.refresh_from_db()
    assert shipment.booking_failed_at is not None
    assert "refused the order" in shipment.booking_error


def test_retry_now_books_on_the_next_tick(carriers: Any, make_shipment: Any, make_staff: Any) -> None:
    carriers.fail_next("ghn", "error")
    shipment = make_shipment("ghn")
    run_worker()
    shipment.refresh_from_db()
    assert shipment.booking_failed_at is not None

    retry_booking_now(shipment=shipment, actor=make_staff("warehouse"))
    run_worker()

    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled" and shipment.booking_failed_at is None
    assert shipment.booking_attempts == 2
    with pytest.raises(DomainError):
        retry_booking_now(shipment=shipment, actor=None)


def test_cancel_a_booked_shipment_cancels_with_the_carrier(carriers: Any, make_shipment: Any) -> None:
    shipment = make_shipment("ghtk")
    run_worker()
    shipment.refresh_from_db()

    cancel_shipment(shipment=shipment, actor=None, reason="Khách đổi ý")

    shipment.refresh_from_db()
    assert shipment.status == "cancelled" and shipment.due_at is None
    assert carriers.order("ghtk", shipment.tracking_code)["status"] == -1
    assert events_of(shipment)[-1] == "shipment.cancelled"
    with pytest.raises(DomainError):
        cancel_shipment(shipment=shipment, actor=None)


def test_carrier_refusing_to_cancel_changes_nothing(carriers: Any, make_shipment: Any) -> None:
    shipment = make_shipment("viettel_post")
    run_worker()
    shipment.refresh_from_db()
    carriers.order("viettel_post", shipment.tracking_code)["status"] = 200  # already picked up

    with pytest.raises(DomainError, match="did not cancel"):
        cancel_shipment(shipment=shipment, actor=None)

    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled"
    assert "shipment.cancelled" not in events_of(shipment)


def test_cancel_before_booking_needs_no_carrier(carriers: Any, make_shipment: Any) -> None:
    shipment = make_shipment("jt")

    cancel_shipment(shipment=shipment, actor=None)

    shipment.refresh_from_db()
    assert shipment.status == "cancelled" and shipment.due_at is None
    assert run_worker() == 0
    assert carriers.requests_to("jt") == []


def test_carrier_calls_per_batch_are_bounded(carriers: Any, make_shipment: Any, settings: Any) -> None:
    settings.HAUMAI_SHIPPING_BOOKINGS_PER_BATCH = 2
    clock.freeze(START)
    shipments = [make_shipment("ghtk") for _ in range(3)]

    run_worker()
    assert Shipment.objects.filter(status="pickup_scheduled").count() == 2
    left = Shipment.objects.get(status="created")
    assert left.due_at == START + dt.timedelta(seconds=1) and left.booking_attempts == 0

    clock.freeze(START + dt.timedelta(seconds=2))
    run_worker()
    assert all(s.status == "pickup_scheduled" for s in Shipment.objects.filter(pk__in=[s.pk for s in shipments]))
