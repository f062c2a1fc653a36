"""A shipment page follows the shipment by itself: a small state partial polled with htmx while the
shipment can still change, which says when the page is out of date."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from haumai.shipping.services import Party, update_fleet_status
from haumai.shipping.tests.test_sandbox import book
from haumai.testing.browser import console_login

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    found = re.search(r'id="shipment-live"[^>]*data-version="([0-9a-f]+)"', html, re.S)
    assert found is not None
    return found.group(1)


def test_the_page_polls_its_state_and_the_state_says_when_it_moved_on(make_shipment: Any, make_staff: Any) -> None:
    warehouse = make_staff("warehouse")
    pickup = make_shipment("own_fleet", recipient=Party(name="Kho Haumai", phone=""))
    client = Client()
    client.force_login(warehouse)
    page = client.get(f"/console/shipping/{pickup.code}/").content.decode()
    version = _version(page)
    assert f'hx-get="/console/shipping/{pickup.code}/state/?v={version}"' in page
    assert 'hx-trigger="every 3s"' in page and "shipping/live.js" in page

    same = client.get(f"/console/shipping/{pickup.code}/state/?v={version}")
    assert same.status_code == 200 and "HX-Trigger" not in same
    assert _version(same.content.decode()) == version

    update_fleet_status(shipment=pickup, status="picked_up", actor=warehouse, note="")  # a colleague, elsewhere
    moved = client.get(f"/console/shipping/{pickup.code}/state/?v={version}")
    html = moved.content.decode()
    assert moved["HX-Trigger"] == "shipment-changed"
    assert "Picked up" in html and _version(html) != version
    assert f"?v={_version(html)}" in html  # the next poll compares with the new state
    assert "live.js" not in html  # the script is loaded once, with the page


def test_a_final_shipment_stops_polling(make_shipment: Any, make_staff: Any) -> None:
    warehouse = make_staff("warehouse")
    pickup = make_shipment("own_fleet", recipient=Party(name="Kho Haumai", phone=""))
    client = Client()
    client.force_login(warehouse)
    version = _version(client.get(f"/console/shipping/{pickup.code}/").content.decode())
    for status in ("picked_up", "delivered"):
        update_fleet_status(shipment=pickup, status=status, actor=warehouse, note="")
    final = client.get(f"/console/shipping/{pickup.code}/state/?v={version}").content.decode()
    assert "Delivered" in final and "hx-trigger" not in final
    assert 'hx-trigger="every' not in client.get(f"/console/shipping/{pickup.code}/").content.decode()


def test_the_state_needs_the_view_permission_and_few_queries(
    make_shipment: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    pickup = make_shipment("own_fleet", recipient=Party(name="Kho Haumai", phone=""))
    url = f"/console/shipping/{pickup.code}/state/"
    assert Client().get(url).status_code == 302  # login first
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user(username="no-role", password="x-pass-123"))
    assert outsider.get(url).status_code == 403
    client = Client()
    client.force_login(make_staff("warehouse"))
    client.get(url)  # session and permissions warmed up
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    assert client.get("/console/shipping/SHP-NOPE/state/").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.vietnamese
def test_the_simulator_button_shows_the_new_state_without_a_reload_by_hand(
    live_server: Any, page: Any, carriers: Any, settings: Any, make_shipment: Any, make_staff: Any
) -> None:
    settings.HAUMAI_SANDBOX_CARRIERS_URL = f"http://127.0.0.1:{carriers.server.port}"
    make_staff("warehouse", username="tung.kho")
    shipment = book(make_shipment("ghn"))
    console_login(page, live_server, "tung.kho")
    page.goto(live_server.url + f"/console/shipping/{shipment.code}/")
    assert "Chờ lấy hàng" in page.inner_text("#shipment-status")
    with page.expect_navigation():
        page.click("#sandbox form:has(input[value=picked]) button")
    assert "trang sẽ tự cập nhật" in page.inner_text("main")
    started = time.monotonic()
    # A locator, not wait_for_function: evaluating a string is blocked by the Content-Security-Policy.
    page.locator("#shipment-status", has_text="Đã lấy hàng").wait_for(timeout=15_000)
    assert time.monotonic() - started < 15
    # The page refreshed itself (nobody was typing): the simulator no longer offers the step that happened.
    page.wait_for_selector("#sandbox input[value=picked]", state="detached")
    assert "trang sẽ tự cập nhật" not in page.inner_text("main")
