"""The offline demo's carrier simulator: buttons only in the sandbox, and a press runs the real webhook path."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from haumai.core import scheduler
from haumai.events.models import Event
from haumai.shipping import sandbox
from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db(transaction=True)


def book(shipment: Shipment) -> Shipment:
    source = next(s for s in scheduler.registered() if s.name == "shipping.due")
    scheduler.run_source(source, batch_size=50)
    shipment.refresh_from_db()
    return shipment


@pytest.fixture
def simulator(carriers: Any, settings: Any) -> Any:
    settings.HAUMAI_SANDBOX_CARRIERS_URL = f"http://127.0.0.1:{carriers.server.port}"
    return carriers


def test_no_buttons_and_404_outside_the_sandbox(carriers: Any, make_shipment: Any, make_staff: Any) -> None:
    shipment = book(make_shipment("ghn"))
    client = Client()
    client.force_login(make_staff("warehouse"))

    page = client.get(f"/console/shipping/{shipment.code}/")
    pushed = client.post(f"/console/shipping/{shipment.code}/sandbox-status/", {"raw_code": "picked"})

    assert page.status_code == 200 and b'id="sandbox"' not in page.content
    assert pushed.status_code == 404
    assert sandbox.next_steps(shipment) == []


def test_simulated_ghn_webhook_moves_the_shipment(simulator: Any, make_shipment: Any, live_server: Any) -> None:
    shipment = book(make_shipment("ghn"))
    steps = dict(sandbox.next_steps(shipment))
    assert "picked" in steps and "delivered" in steps

    sandbox.push_status(shipment=shipment, raw_code="picked", hooks_prefix=f"{live_server.url}/hooks/shipping/")

    for _ in range(50):
        shipment.refresh_from_db()
        if shipment.status == "picked_up":
            break
        time.sleep(0.1)
    assert shipment.status == "picked_up"
    assert shipment.tracking_events.filter(raw_code="picked").count() == 1
    assert Event.objects.filter(name="shipment.picked_up", subject_id=str(shipment.pk)).count() == 1
    assert "picked" not in dict(sandbox.next_steps(shipment))  # never backwards


def test_a_code_that_cannot_come_next_is_refused_and_nothing_changes(
    simulator: Any, make_shipment: Any, make_staff: Any
) -> None:
    shipment = book(make_shipment("ghn"))
    client = Client()
    client.force_login(make_staff("warehouse"))

    page = client.get(f"/console/shipping/{shipment.code}/")
    url = f"/console/shipping/{shipment.code}/sandbox-status/"
    response = client.post(url, {"raw_code": "no_such_code"}, follow=True)

    assert b'id="sandbox"' in page.content
    assert "cannot be simulated" in response.content.decode()
    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled" and shipment.tracking_events.count() == 0


def test_agents_without_change_permission_cannot_press(simulator: Any, make_shipment: Any, make_staff: Any) -> None:
    shipment = book(make_shipment("ghn"))
    client = Client()
    client.force_login(make_staff("technician"))

    response = client.post(f"/console/shipping/{shipment.code}/sandbox-status/", {"raw_code": "picked"})

    assert response.status_code == 403
