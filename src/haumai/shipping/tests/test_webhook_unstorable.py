"""A signed carrier webhook carrying a NUL byte is answered 400 once (carriers retry non-200) and stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.events.models import Event
from haumai.shipping.models import Shipment, TrackingEvent
from haumai.shipping.tests.test_webhooks import PICKED, START, booked  # noqa: F401 (fixture)

CARRIERS = list(PICKED)


def _stored() -> tuple[int, int, list[tuple[str, str]]]:
    states = list(Shipment.objects.order_by("id").values_list("status", "raw_status"))
    return TrackingEvent.objects.count(), Event.objects.count(), states


# A NUL byte on every carrier; an unpaired surrogate only where the body is JSON with ASCII escapes.
CASES = [(code, "Khách\x00 hẹn lại") for code in CARRIERS] + [("ninjavan", "bad \ud800 surrogate")]


@pytest.mark.django_db
@pytest.mark.parametrize(("carrier_code", "reason"), CASES)
def test_signed_webhook_with_unstorable_text_is_refused_once_and_stores_nothing(
    carriers: Any,
    booked: Any,  # noqa: F811
    carrier_code: str,
    reason: str,
) -> None:
    clock.freeze(START)
    shipment = booked(carrier_code)
    webhook = carriers.webhook(
        carrier_code, shipment.tracking_code, PICKED[carrier_code], at=START + dt.timedelta(hours=1), reason=reason
    )
    before = _stored()

    response = Client().post(
        webhook.url_for(), data=webhook.body, content_type=webhook.content_type, headers=dict(webhook.headers)
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    assert _stored() == before
