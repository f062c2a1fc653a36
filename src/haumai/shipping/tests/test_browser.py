"""Warehouse staff in a real browser (system Chromium): retry a failed booking, update an own-fleet pickup."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.shipping.models import Shipment
from haumai.shipping.services import Party
from haumai.shipping.tests.test_booking import run_worker
from haumai.testing.browser import console_login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.vietnamese,
]





def test_warehouse_retries_a_failed_booking_and_updates_a_staff_pickup(
    live_server: Any, page: Any, carriers: Any, make_shipment: Any, make_staff: Any
) -> None:
    make_staff("warehouse", username="tung.kho")
    carriers.fail_next("ghn", "error")
    refused = make_shipment("ghn")
    run_worker()  # GHN answers with its documented error: the booking gives up at once
    pickup = make_shipment("own_fleet", recipient=Party(name="Kho Haumai", phone=""))

    console_login(page, live_server, "tung.kho")
    page.goto(live_server.url + "/console/shipping/failed-bookings/")
    assert refused.code in page.inner_text("main")
    assert "GHN" in page.inner_text("main")
    with page.expect_navigation():
        page.click(f"tr:has-text('{refused.code}') button[type=submit]")
    assert "Đã xếp hàng đặt đơn" in page.inner_text("main")

    run_worker()  # the worker books it
    page.goto(live_server.url + f"/console/shipping/{refused.code}/")
    refused.refresh_from_db()
    assert refused.tracking_code and refused.tracking_code in page.inner_text("#tracking-code")
    assert "Chờ lấy hàng" in page.inner_text("#shipment-status")

    page.goto(live_server.url + f"/console/shipping/{pickup.code}/")
    page.select_option("#fleet-update select[name=status]", "picked_up")
    page.fill("#fleet-update input[name=note]", "Đã lấy tại nhà khách")
    with page.expect_navigation():
        page.click("#fleet-update button[type=submit]")
    assert "Đã lấy hàng" in page.inner_text("#shipment-status")
    assert "Đã lấy tại nhà khách" in page.inner_text("#tracking")  # carrier news; #timeline says the events
    assert Shipment.objects.get(pk=pickup.pk).status == "picked_up"
