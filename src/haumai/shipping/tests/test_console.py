"""Console pages and the REST API of shipping: filters, permissions, staff actions, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.events.models import Event
from haumai.shipping.models import Shipment
from haumai.shipping.tests.test_booking import events_of, run_worker


def login(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


@pytest.fixture
def several(carriers: Any, make_shipment: Any) -> list[Shipment]:
    shipments = [make_shipment(code) for code in ("ghn", "ghtk", "viettel_post", "jt", "ninjavan", "own_fleet")]
    run_worker()
    return shipments


def test_list_filters_and_query_count(several: Any, make_staff: Any, django_assert_max_num_queries: Any) -> None:
    client = login(make_staff, "agent")

    with django_assert_max_num_queries(8):
        response = client.get("/console/shipping/")
    assert response.status_code == 200
    for shipment in several:
        assert shipment.code in response.text

    only_ghtk = client.get("/console/shipping/?carrier=ghtk").text
    assert several[1].code in only_ghtk and several[0].code not in only_ghtk
    by_reference = client.get(f"/console/shipping/?reference={several[2].reference}").text
    assert several[2].code in by_reference and several[3].code not in by_reference
    scheduled = client.get("/console/shipping/?status=created").text
    assert "No shipments found." in scheduled


def test_detail_shows_timeline_with_raw_codes(
    several: Any, carriers: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    shipment = Shipment.objects.get(pk=several[0].pk)
    hook = carriers.webhook("ghn", shipment.tracking_code, "picked", reason="Đã lấy hàng")
    Client().post(hook.url_for(), data=hook.body, content_type=hook.content_type)

    client = login(make_staff, "agent")
    with django_assert_max_num_queries(8):
        response = client.get(f"/console/shipping/{shipment.code}/")

    assert response.status_code == 200
    assert "<code>picked</code>" in response.text
    assert "Đã lấy hàng" in response.text
    assert "+84912345678" in response.text  # agents see PII
    technician_view = login(make_staff, "warehouse").get(f"/console/shipping/{shipment.code}/").text
    assert "+84912345678" not in technician_view and "12 Lý Thường Kiệt" not in technician_view


def test_pages_need_the_view_permission(db: Any, make_staff: Any) -> None:
    from haumai.accounts.services import create_staff_user

    user = create_staff_user(username="nobody", password="s3cret-pass-123", role="technician")
    user.groups.clear()
    client = Client()
    client.force_login(user)

    assert client.get("/console/shipping/").status_code == 403
    assert Client().get("/console/shipping/").status_code == 302  # to the login page


def test_failed_bookings_queue_and_retry_now(carriers: Any, make_shipment: Any, make_staff: Any) -> None:
    carriers.fail_next("jt", "error")
    shipment = make_shipment("jt")
    run_worker()

    queue = login(make_staff, "warehouse").get("/console/shipping/failed-bookings/")
    assert shipment.code in queue.text and "refused the order" in queue.text and "Retry now" in queue.text

    agent = login(make_staff, "agent")  # may view, may not change
    assert agent.post(f"/console/shipping/{shipment.code}/retry-booking/").status_code == 403
    shipment.refresh_from_db()
    assert shipment.booking_failed_at is not None

    response = login(make_staff, "warehouse").post(
        f"/console/shipping/{shipment.code}/retry-booking/", {"back": "failed"}
    )
    assert response.status_code == 302 and response.url == "/console/shipping/failed-bookings/"
    run_worker()
    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled" and shipment.tracking_code


def test_own_fleet_staff_update_the_status(several: Any, make_staff: Any) -> None:
    shipment = several[-1]
    client = login(make_staff, "warehouse")
    page = client.get(f"/console/shipping/{shipment.code}/").text
    assert "Update own-fleet pickup" in page

    client.post(f"/console/shipping/{shipment.code}/fleet-status/", {"status": "picked_up", "note": "Anh Tùng"})
    client.post(f"/console/shipping/{shipment.code}/fleet-status/", {"status": "delivered"})
    backwards = client.post(f"/console/shipping/{shipment.code}/fleet-status/", {"status": "picked_up"}, follow=True)

    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert "cannot become" in backwards.text
    assert events_of(shipment)[-2:] == ["shipment.picked_up", "shipment.delivered"]
    picked = Event.objects.get(name="shipment.picked_up", subject_id=str(shipment.pk))
    assert picked.actor is not None


def test_fleet_update_refused_for_carrier_shipments(several: Any, make_staff: Any) -> None:
    shipment = several[0]
    response = login(make_staff, "warehouse").post(
        f"/console/shipping/{shipment.code}/fleet-status/", {"status": "delivered"}, follow=True
    )

    assert "Only own-fleet shipments" in response.text
    shipment.refresh_from_db()
    assert shipment.status == "pickup_scheduled"


def test_received_at_store(carriers: Any, make_shipment: Any, make_staff: Any) -> None:
    from haumai.shipping.services import Party

    shipment = make_shipment(
        "store_dropoff", sender=Party(name="Hoa", phone=""), recipient=Party(name="Cửa hàng Q1", phone="")
    )
    client = login(make_staff, "warehouse")
    assert "Received at store" in client.get(f"/console/shipping/{shipment.code}/").text

    client.post(f"/console/shipping/{shipment.code}/received-at-store/")

    shipment.refresh_from_db()
    assert shipment.status == "delivered" and shipment.raw_status == "received_at_store"
    assert "shipment.delivered" in events_of(shipment)


def test_api_list_and_detail(several: Any, api_client_for: Any, django_assert_max_num_queries: Any) -> None:
    client = api_client_for("agent")

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/shipments?limit=3")
    body = response.json()
    assert response.status_code == 200
    assert len(body["items"]) == 3 and body["next_offset"] == 3
    assert body["items"][0]["code"] == several[-1].code

    filtered = client.get(f"/api/v1/shipments?carrier=ghtk&reference={several[1].reference}").json()
    assert [item["code"] for item in filtered["items"]] == [several[1].code]

    detail = client.get(f"/api/v1/shipments/{several[0].code}").json()
    assert detail["tracking_code"] and detail["sender"]["phone"] == "+84912345678"
    by_tracking = client.get(f"/api/v1/shipments/{detail['tracking_code']}").json()
    assert by_tracking["code"] == several[0].code


def test_api_errors(several: Any, api_client_for: Any, make_staff: Any) -> None:
    client = api_client_for("agent")

    assert client.get("/api/v1/shipments/SHP-1999-000001").status_code == 404
    bad = client.get("/api/v1/shipments?limit=1000")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "limit"
    assert Client().get("/api/v1/shipments").status_code == 401
    masked = api_client_for("warehouse").get(f"/api/v1/shipments/{several[0].code}").json()
    assert masked["sender"]["phone"] != "+84912345678" and masked["sender"]["street"] == "***"


@pytest.mark.vietnamese
def test_console_speaks_vietnamese(several: Any, make_staff: Any) -> None:
    page = login(make_staff, "agent").get("/console/shipping/").text

    assert "Vận đơn" in page and "Chờ lấy hàng" in page and "Đặt đơn thất bại" in page
