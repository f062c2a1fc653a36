"""Carrier webhooks: authenticated per carrier, idempotent, raw codes kept, never backwards."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.events.models import Event
from haumai.shipping.models import Shipment, TrackingEvent
from haumai.shipping.tests.test_booking import events_of, run_worker
from haumai.testing.carriers import WebhookRequest, build_webhook

START = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
PICKED = {"ghn": "picked", "ghtk": "3", "viettel_post": "200", "jt": "106", "ninjavan": "Picked Up"}
DELIVERED = {
    "ghn": "delivered",
    "ghtk": "5",
    "viettel_post": "501",
    "jt": "113",
    "ninjavan": "Delivered, Left at Doorstep",
}
IN_TRANSIT = {
    "ghn": "transporting",
    "ghtk": "4",
    "viettel_post": "300",
    "jt": "109",
    "ninjavan": "Arrived at Sorting Hub",
}
ACK = {
    "ghn": {"code": 200, "message": "Success"},
    "ghtk": {"success": True},
    "viettel_post": {"status": 200, "error": False, "message": "OK"},
    "jt": {"code": "1", "msg": "success", "data": None},
    "ninjavan": {"status": "ok"},
}
CARRIERS = list(PICKED)


def post(request: WebhookRequest) -> Any:
    headers = dict(request.headers)
    return Client().post(
        request.url_for("/hooks/shipping/"), data=request.body, content_type=request.content_type, headers=headers
    )


@pytest.fixture
def booked(carriers: Any, make_shipment: Any) -> Any:
    """Factory: booked('ghn') -> a shipment booked with the local carrier (status pickup_scheduled)."""

    def make(carrier_code: str) -> Shipment:
        shipment = make_shipment(carrier_code)
        run_worker()
        shipment.refresh_from_db()
        assert shipment.tracking_code
        return shipment

    return make


def counts() -> tuple[int, int, list[tuple[str, str]]]:
    states = list(Shipment.objects.order_by("id").values_list("status", "raw_status"))
    return TrackingEvent.objects.count(), Event.objects.count(), states


@pytest.mark.parametrize("carrier_code", CARRIERS)
def test_webhook_moves_the_shipment_and_records_the_event(carriers: Any, booked: Any, carrier_code: str) -> None:
    clock.freeze(START)
    shipment = booked(carrier_code)
    clock.freeze(START + dt.timedelta(hours=2))

    response = post(
        carriers.webhook(carrier_code, shipment.tracking_code, PICKED[carrier_code], at=START + dt.timedelta(hours=1))
    )

    assert response.status_code == 200
    assert response.json() == ACK[carrier_code]
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"
    assert shipment.raw_status == PICKED[carrier_code]
    assert shipment.last_tracking_at == START + dt.timedelta(hours=1)
    assert shipment.due_at == START + dt.timedelta(hours=2 + 48)
    tracking = shipment.tracking_events.get()
    assert tracking.raw_code == PICKED[carrier_code] and tracking.mapped_status == "picked_up" and tracking.applied
    event = Event.objects.get(name="shipment.picked_up")
    assert event.customer_id == shipment.customer_id
    assert event.payload == {
        "shipment_code": shipment.code,
        "carrier": carrier_code,
        "direction": "reverse",
        "reference": shipment.reference,
        "status": "picked_up",
        "raw_code": PICKED[carrier_code],
        "tracking_code": shipment.tracking_code,
    }


@pytest.mark.parametrize("carrier_code", CARRIERS)
def test_replayed_webhook_answers_200_and_changes_nothing(carriers: Any, booked: Any, carrier_code: str) -> None:
    shipment = booked(carrier_code)
    webhook = carriers.webhook(carrier_code, shipment.tracking_code, DELIVERED[carrier_code], at=START)
    assert post(webhook).status_code == 200
    before = counts()

    again = post(webhook)

    assert again.status_code == 200 and again.json() == ACK[carrier_code]
    assert counts() == before
    assert Event.objects.filter(name="shipment.delivered").count() == 1


@pytest.mark.parametrize("carrier_code", CARRIERS)
def test_forged_webhook_is_refused_and_changes_nothing(carriers: Any, booked: Any, carrier_code: str) -> None:
    shipment = booked(carrier_code)
    before = counts()
    wrong = dict.fromkeys(carriers.webhook_secrets, "forged-secret")

    response = post(build_webhook(carrier_code, shipment.tracking_code, DELIVERED[carrier_code], secrets=wrong))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert counts() == before


def test_tampered_body_fails_the_signature(carriers: Any, booked: Any) -> None:
    shipment = booked("ninjavan")
    webhook = carriers.webhook("ninjavan", shipment.tracking_code, "Picked Up")
    tampered = dataclasses.replace(webhook, body=webhook.body.replace(b"Picked Up", b"Delivered"))
    before = counts()

    assert post(tampered).status_code == 403
    assert counts() == before


def test_unset_secret_refuses_every_webhook(carriers: Any, booked: Any, settings: Any) -> None:
    shipment = booked("ghn")
    settings.HAUMAI_GHN_WEBHOOK_SECRET = ""
    webhook = dataclasses.replace(carriers.webhook("ghn", shipment.tracking_code, "picked"), path="ghn//")

    assert post(webhook).status_code in (403, 404)
    assert post(carriers.webhook("ghn", shipment.tracking_code, "picked")).status_code == 403


@pytest.mark.parametrize(
    ("carrier_code", "body"),
    [
        ("ghn", b'{"Status": "picked"}'),
        ("ghn", b"not json"),
        ("ghtk", b"status_id=3"),
        ("jt", None),
        ("ninjavan", b'{"status": "Picked Up"}'),
    ],
)
def test_malformed_webhook_is_a_clear_400(carriers: Any, booked: Any, carrier_code: str, body: bytes | None) -> None:
    from haumai.testing.carriers.webhooks import jt_digest, ninjavan_signature

    booked(carrier_code)
    webhook = carriers.webhook(carrier_code, "X", "1")
    if carrier_code == "jt":
        biz = '{"billCode": "8600"}'
        body = f"bizContent={biz}".encode()
        webhook.headers["digest"] = jt_digest(biz, carriers.webhook_secrets["jt"])
    assert body is not None
    if carrier_code == "ninjavan":
        webhook.headers["X-Ninjavan-Hmac-Sha256"] = ninjavan_signature(body, carriers.webhook_secrets["ninjavan"])
    before = counts()

    response = post(dataclasses.replace(webhook, body=body))

    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert counts() == before


def test_viettel_post_without_data_is_malformed(carriers: Any, booked: Any) -> None:
    booked("viettel_post")
    webhook = carriers.webhook("viettel_post", "1", "200")
    body = b'{"TOKEN": "%s"}' % carriers.webhook_secrets["viettel_post"].encode()

    response = post(dataclasses.replace(webhook, body=body))

    assert response.status_code == 400 and "DATA" in response.json()["error"]["message"]


def test_out_of_order_webhook_never_moves_backwards(carriers: Any, booked: Any) -> None:
    clock.freeze(START)
    shipment = booked("ghn")
    post(carriers.webhook("ghn", shipment.tracking_code, "delivered", at=START + dt.timedelta(hours=5)))

    late = post(carriers.webhook("ghn", shipment.tracking_code, "transporting", at=START + dt.timedelta(hours=3)))

    assert late.status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "delivered" and shipment.raw_status == "delivered"
    assert shipment.last_tracking_at == START + dt.timedelta(hours=5)
    older = shipment.tracking_events.get(raw_code="transporting")
    assert older.applied is False and older.mapped_status == "in_transit"
    assert not Event.objects.filter(name="shipment.in_transit").exists()


def test_failed_delivery_then_a_new_delivery_round(carriers: Any, booked: Any) -> None:
    shipment = booked("jt")
    for code, hours in (("112", 1), ("118", 2), ("112", 3), ("113", 4)):
        post(carriers.webhook("jt", shipment.tracking_code, code, at=START + dt.timedelta(hours=hours)))

    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert events_of(shipment)[-4:] == [
        "shipment.out_for_delivery",
        "shipment.failed",
        "shipment.out_for_delivery",
        "shipment.delivered",
    ]


def test_unknown_codes_are_kept_not_dropped(carriers: Any, booked: Any, caplog: Any) -> None:
    shipment = booked("ghtk")

    response = post(carriers.webhook("ghtk", shipment.tracking_code, "999", reason="Mã mới"))

    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled"
    kept = shipment.tracking_events.get()
    assert kept.raw_code == "999" and kept.mapped_status == "" and not kept.applied
    assert kept.description == "Mã mới"
    assert "unmapped" in caplog.text


def test_webhook_for_an_order_we_do_not_know_is_acknowledged(carriers: Any, booked: Any) -> None:
    booked("viettel_post")
    before = counts()

    response = post(carriers.webhook("viettel_post", "1999999999", "501"))

    assert response.status_code == 200
    assert counts() == before


def test_jt_push_with_several_scans(carriers: Any, booked: Any) -> None:
    import json
    from urllib.parse import urlencode

    from haumai.testing.carriers.webhooks import jt_digest

    clock.freeze(START)
    shipment = booked("jt")
    biz = json.dumps(
        {
            "billCode": shipment.tracking_code,
            "txlogisticId": shipment.code,
            "details": [
                {"scanTime": "2026-11-22 10:00:00", "scanTypeCode": "106", "desc": "Đã lấy hàng"},
                {"scanTime": "2026-11-22 15:00:00", "scanTypeCode": "109", "desc": "Xuất kho"},
            ],
        }
    )
    webhook = WebhookRequest(
        "jt",
        "jt/",
        urlencode({"bizContent": biz}).encode(),
        "application/x-www-form-urlencoded",
        {"digest": jt_digest(biz, carriers.webhook_secrets["jt"])},
    )

    assert post(webhook).status_code == 200

    shipment.refresh_from_db()
    assert shipment.status == "in_transit"
    assert shipment.last_tracking_at == dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)  # 15:00 in Vietnam
    assert [e.raw_code for e in shipment.tracking_events.order_by("occurred_at")] == ["106", "109"]


def test_unknown_carrier_path_is_404(db: Any) -> None:
    response = Client().post("/hooks/shipping/ahamove/", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_get_is_not_allowed(db: Any) -> None:
    assert Client().get("/hooks/shipping/ghtk/").status_code == 405


def test_silent_shipment_is_flagged_delayed_once(carriers: Any, booked: Any) -> None:
    clock.freeze(START)
    shipment = booked("ghn")

    clock.freeze(START + dt.timedelta(hours=47))
    assert run_worker() == 0
    clock.freeze(START + dt.timedelta(hours=49))
    assert run_worker() == 1
    clock.freeze(START + dt.timedelta(hours=200))
    assert run_worker() == 0

    shipment.refresh_from_db()
    assert shipment.delayed_at == START + dt.timedelta(hours=49) and shipment.due_at is None
    delayed = Event.objects.get(name="shipment.delayed")
    assert delayed.payload["hours_without_update"] == 49 and delayed.payload["status"] == "pickup_scheduled"

    # News from the carrier ends the silence and starts a new watch.
    post(carriers.webhook("ghn", shipment.tracking_code, "picked", at=START + dt.timedelta(hours=200)))
    shipment.refresh_from_db()
    assert shipment.delayed_at is None
    assert shipment.due_at == START + dt.timedelta(hours=248)


def test_delivered_shipments_are_not_watched(carriers: Any, booked: Any) -> None:
    clock.freeze(START)
    shipment = booked("ghtk")
    post(carriers.webhook("ghtk", shipment.tracking_code, "5", at=START))

    shipment.refresh_from_db()
    assert shipment.status == "delivered" and shipment.due_at is None
    clock.freeze(START + dt.timedelta(days=30))
    assert run_worker() == 0


def test_asynchronous_commit_option_ingests_the_same(carriers: Any, booked: Any, settings: Any) -> None:
    settings.HAUMAI_SHIPPING_WEBHOOK_ASYNC_COMMIT = "1"
    shipment = booked("ghn")

    assert post(carriers.webhook("ghn", shipment.tracking_code, "picked")).status_code == 200

    shipment.refresh_from_db()
    assert shipment.status == "picked_up"
