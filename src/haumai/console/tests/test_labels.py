"""Labels instead of raw codes: channel chains, languages, carriers, warehouse names, staff-entered statuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.console.templatetags.labels import carrier_label, channel_chain, journey_channels, language_label
from haumai.journeys.models import Journey

pytestmark = pytest.mark.django_db


def test_filters_say_labels() -> None:
    assert channel_chain(["zalo", "zns", "email", "sms"]) == "Zalo OA message → Zalo ZNS → Email → SMS"
    assert journey_channels([]) == "Zalo OA message → Zalo ZNS → SMS → Email"
    assert language_label("vi") == "Vietnamese" and language_label("en") == "English"
    assert carrier_label("viettel_post") == "Viettel Post" and carrier_label("ghn") == "GHN"


def test_journey_page_shows_channel_labels_not_codes(make_staff: Any) -> None:
    journey = Journey.objects.get(key="order-thank-you")
    journey.channel_order = ["zalo", "zns", "email", "sms"]
    journey.save(update_fields=["channel_order"])
    client = Client()
    client.force_login(make_staff("manager"))
    body = client.get(f"/console/journeys/{journey.key}/").content.decode()
    assert "Zalo OA message → Zalo ZNS → Email → SMS" in body
    assert "zalo → zns" not in body
