"""Carrier reports: older news never moves a shipment, another order's report is not ours, absurd times are
refused, and a replay is recognised by its moment, not by how the carrier spelt the time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from haumai.core import clock
from haumai.events.models import Event
from haumai.shipping.models import Shipment, TrackingEvent
from haumai.shipping.services.tracking import flag_delayed
from haumai.shipping.tests.test_webhooks import CARRIERS, START, booked, counts, post  # noqa: F401
from haumai.testing.carriers import WebhookRequest
from haumai.testing.carriers.webhooks import jt_digest, ninjavan_signature

OUT_FOR_DELIVERY = {
    "ghn": "delivering",
    "ghtk": "4",
    "viettel_post": "500",
    "jt": "112",
    "ninjavan": "On Vehicle for Delivery",
}
FAILED = {
    "ghn": "delivery_fail",
    "ghtk": "9",
    "viettel_post": "502",
    "jt": "118",
    "ninjavan": "First Attempt Delivery Fail",
}


@pytest.mark.parametrize("carrier_code", CARRIERS)
def test_an_older_failure_after_a_newer_delivery_round_is_kept_not_applied(
    carriers: Any, booked: Any, carrier_code: str  # noqa: F811
) -> None:
    clock.freeze(START)
    shipment = booked(carrier_code)
    clock.freeze(START + dt.timedelta(hours=4))
    post(carriers.webhook(carrier_code, shipment.tracking_code, OUT_FOR_DELIVERY[carrier_code],
                          at=START + dt.timedelta(hours=3)))  # fmt: skip
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery"

    late = post(carriers.webhook(carrier_code, shipment.tracking_code, FAILED[carrier_code],
                                 at=START + dt.timedelta(hours=2)))  # fmt: skip

    assert late.status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery" and shipment.raw_status == OUT_FOR_DELIVERY[carrier_code]
    assert shipment.last_tracking_at == START + dt.timedelta(hours=3)
    kept = shipment.tracking_events.get(raw_code=FAILED[carrier_code])
    assert kept.mapped_status == "failed" and kept.applied is False
    assert not Event.objects.filter(name="shipment.failed").exists()
    # A newer failure still moves it (carriers retry delivery: failed and out for delivery share a rank).
    post(carriers.webhook(carrier_code, shipment.tracking_code, FAILED[carrier_code], at=START + dt.timedelta(hours=5),
                          reason="newer"))  # fmt: skip
    shipment.refresh_from_db()
    assert shipment.status == "failed"
    assert Event.objects.filter(name="shipment.failed").count() == 1


def test_ghn_report_of_another_order_with_our_client_code_is_not_applied(carriers: Any, booked: Any) -> None:  # noqa: F811
    shipment = booked("ghn")
    before = (shipment.status, shipment.last_tracking_at, Event.objects.count())

    response = post(carriers.webhook("ghn", "OTHER-GHN-ORDER", "cancel", shipment_code=shipment.code, at=START))

    assert response.status_code == 200
    shipment.refresh_from_db()
    assert (shipment.status, shipment.last_tracking_at, Event.objects.count()) == before
    kept = TrackingEvent.objects.get()
    assert kept.shipment_id == shipment.pk and kept.applied is False and kept.raw_code == "cancel"
    assert kept.raw_payload["OrderCode"] == "OTHER-GHN-ORDER"


@pytest.mark.parametrize("offset", [dt.timedelta(days=3), dt.timedelta(days=-400)])
def test_a_report_time_far_from_now_is_kept_but_not_applied(
    carriers: Any, booked: Any, settings: Any, offset: dt.timedelta  # noqa: F811
) -> None:
    clock.freeze(START)
    shipment = booked("ghn")
    before = (shipment.status, shipment.last_tracking_at)

    response = post(carriers.webhook("ghn", shipment.tracking_code, "picked", at=START + offset))

    assert response.status_code == 200
    shipment.refresh_from_db()
    assert (shipment.status, shipment.last_tracking_at) == before
    assert TrackingEvent.objects.get().applied is False
    assert not Event.objects.filter(name="shipment.picked_up").exists()


def test_year_9999_does_not_silence_stuck_detection(carriers: Any, booked: Any) -> None:  # noqa: F811
    clock.freeze(START)
    shipment = booked("ghn")
    body = json.loads(carriers.webhook("ghn", shipment.tracking_code, "picked", at=START).body)
    body["Time"] = "9999-12-31T00:00:00.000Z"
    request = carriers.webhook("ghn", shipment.tracking_code, "picked", at=START)
    post(dataclasses.replace(request, body=json.dumps(body).encode()))
    shipment.refresh_from_db()
    assert shipment.last_tracking_at is not None and shipment.last_tracking_at.year == 2026
    clock.freeze(START + dt.timedelta(hours=72))
    flag_delayed(Shipment.objects.get(pk=shipment.pk))
    assert Event.objects.filter(name="shipment.delayed").count() == 1


def respelt(carriers: Any, request: WebhookRequest, carrier_code: str, old: str, new: str) -> WebhookRequest:
    """The same webhook with the time written another way (and signed again where the body is signed)."""
    secrets = carriers.webhook_secrets
    if carrier_code == "ghtk":
        form = {k: (new if v == old else v) for k, v in parse_qsl(request.body.decode())}
        return dataclasses.replace(request, body=urlencode(form).encode())
    if carrier_code == "jt":
        biz = dict(parse_qsl(request.body.decode()))["bizContent"].replace(old, new)
        headers = {**request.headers, "digest": jt_digest(biz, secrets["jt"])}
        return dataclasses.replace(request, body=urlencode({"bizContent": biz}).encode(), headers=headers)
    body = request.body.decode().replace(old, new).encode()
    if carrier_code == "ninjavan":
        return dataclasses.replace(request, body=body, headers={"X-Ninjavan-Hmac-Sha256": ninjavan_signature(
            body, secrets["ninjavan"])})  # fmt: skip
    return dataclasses.replace(request, body=body)


def without_event_id(carriers: Any, request: WebhookRequest) -> WebhookRequest:
    payload = json.loads(request.body)
    payload.pop("id")
    body = json.dumps(payload).encode()
    headers = {"X-Ninjavan-Hmac-Sha256": ninjavan_signature(body, carriers.webhook_secrets["ninjavan"])}
    return dataclasses.replace(request, body=body, headers=headers)


# 04:00 UTC = 11:00 in Vietnam, each carrier's own spelling, then another spelling of the same moment.
SPELLINGS = {
    "ghn": ("2026-11-22T04:00:00.000Z", "2026-11-22T04:00:00Z"),
    "ghtk": ("2026-11-22T11:00:00+07:00", "2026-11-22 11:00:00"),
    "viettel_post": ("22/11/2026 11:00:00", "22/11/2026 11:00"),
    "jt": ("2026-11-22 11:00:00", "2026-11-22T04:00:00+00:00"),
    "ninjavan": ("2026-11-22T04:00:00+0000", "2026-11-22T04:00:00Z"),
}


@pytest.mark.parametrize("carrier_code", CARRIERS)
def test_a_replay_with_the_time_spelt_otherwise_is_a_duplicate(carriers: Any, booked: Any, carrier_code: str) -> None:  # noqa: F811
    shipment = booked(carrier_code)
    at = START + dt.timedelta(hours=1)
    first = carriers.webhook(carrier_code, shipment.tracking_code, OUT_FOR_DELIVERY[carrier_code], at=at)
    if carrier_code == "ninjavan":
        first = without_event_id(carriers, first)
    old, new = SPELLINGS[carrier_code]
    replay = respelt(carriers, first, carrier_code, old, new)
    assert replay.body != first.body  # the time really is spelt otherwise
    assert post(first).status_code == 200
    before = counts()

    again = post(replay)

    assert again.status_code == 200
    assert counts() == before
    assert TrackingEvent.objects.count() == 1


def test_the_migration_rewrites_stored_keys_to_the_parsed_time(carriers: Any, booked: Any) -> None:  # noqa: F811
    import importlib

    from django.apps import apps

    migration = importlib.import_module("haumai.shipping.migrations.0003_dedupe_on_parsed_time")
    shipment = booked("ghn")
    at = START + dt.timedelta(hours=1)
    old_keys = [
        f"ghn:{shipment.tracking_code}:switch_status:delivering:2026-11-22T04:00:00.000Z",
        "ninjavan:6f1c2a4e-0000-5000-8000-000000000000",
    ]
    for key in old_keys:
        TrackingEvent.objects.create(shipment=shipment, raw_code="delivering", occurred_at=at, received_at=at,
                                     dedupe_key=key, mapped_status="out_for_delivery")  # fmt: skip
    migration.forwards(apps, None)
    assert sorted(TrackingEvent.objects.values_list("dedupe_key", flat=True)) == [
        f"ghn:{shipment.tracking_code}:switch_status:delivering:2026-11-22T04:00:00.000000Z",
        old_keys[1],
    ]
    # A replay of that stored report, with the time spelt otherwise, is now a duplicate.
    replay = carriers.webhook("ghn", shipment.tracking_code, "delivering", at=at)
    post(respelt(carriers, replay, "ghn", *SPELLINGS["ghn"]))
    assert TrackingEvent.objects.count() == 2
