"""Replays racing on separate connections store one tracking event (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.events.models import Event
from haumai.shipping.carriers import adapter_for
from haumai.shipping.models import TrackingEvent
from haumai.shipping.services import APPLIED, DUPLICATE, ingest_tracking_updates
from haumai.shipping.tests.test_booking import run_worker


@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_on_eight_connections_is_stored_once(carriers: Any, make_shipment: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    shipment = make_shipment("ghn")
    run_worker()
    shipment.refresh_from_db()
    webhook = carriers.webhook("ghn", shipment.tracking_code, "delivered")
    updates = adapter_for("ghn").parse_webhook(webhook.body, {}, {}, url_secret=carriers.webhook_secrets["ghn"])
    outcomes: list[str] = []
    barrier = threading.Barrier(8, timeout=60)

    def deliver() -> None:
        try:
            barrier.wait()
            outcomes.extend(ingest_tracking_updates(carrier_code="ghn", updates=updates))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [APPLIED] + [DUPLICATE] * 7
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 1
    assert Event.objects.filter(name="shipment.delivered").count() == 1
