"""Console and portal pages of booking, and the API: permissions, bad input, query counts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.portal.views import SESSION_CUSTOMER
from haumai.repairs.booking import links, services
from haumai.repairs.models import Appointment, AppointmentSlot, AppointmentStatus
from haumai.repairs.tests.booking_helpers import at, make_center

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 8)


def _staff(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def _portal(customer: Any) -> Client:
    client = Client()
    session = client.session
    session[SESSION_CUSTOMER] = customer.pk
    session.save()
    return client


def _fill(center: Any, count: int = 12) -> None:
    for n in range(count):
        person = create_customer(actor=None, full_name=f"Khách {n}", phone=f"0915{n:06d}")
        services.book_appointment(actor=None, customer=person, center=center, starts_at=at(TUESDAY, 8 + n % 4))


def test_console_pages_render_in_few_queries(center: Any, monday: Any, make_staff: Any,
                                              django_assert_max_num_queries: Any) -> None:  # fmt: skip
    for n in range(5):
        make_center(f"extra-{n}")
    _fill(center, 8)
    client = _staff(make_staff, "manager")
    code = Appointment.objects.first().code  # type: ignore[union-attr]
    for url in ("/console/service-centers/", "/console/appointments/", f"/console/appointments/{code}/",
                "/console/visits/?all=1", "/console/maintenance/?all=1", f"/console/service-centers/{center.code}/",
                f"/console/service-centers/{center.code}/slots/?month=2026-12",
                "/console/appointments/new/?customer=CUS-2026-000001&month=2026-12"):  # fmt: skip
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200, url


def test_a_warehouse_user_sees_no_booking_page(center: Any, monday: Any, make_staff: Any) -> None:
    client = _staff(make_staff, "warehouse")
    assert client.get("/console/appointments/").status_code == 403
    assert client.post("/console/service-centers/new/", {"code": "x"}).status_code == 403


def test_an_agent_books_for_a_customer_from_the_console(center: Any, customer: Any, monday: Any,
                                                         make_staff: Any) -> None:  # fmt: skip
    client = _staff(make_staff, "agent")
    form = {
        "customer": "0912345678",
        "center": center.code,
        "starts_at": at(TUESDAY, 9).isoformat(),
        "reason": "Bảo trì",
    }
    response = client.post("/console/appointments/new/", form)
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.customer == customer and appointment.booked_by is not None
    bad = client.post("/console/appointments/new/", {**form, "starts_at": at(TUESDAY, 9, 30).isoformat()})
    assert bad.status_code == 400 and "does not open a slot" in bad.content.decode()
    assert Appointment.objects.count() == 1


def test_a_manager_creates_a_centre_with_a_lunch_break(db: Any, monday: Any, make_staff: Any) -> None:
    client = _staff(make_staff, "manager")
    form = {"code": "dn-hai-chau", "name": "Trung tâm Đà Nẵng", "kind": "own", "province": "Đà Nẵng",
            "time_zone": "Asia/Ho_Chi_Minh", "capacity_per_hour": "3", "slot_minutes": "30",
            "booking_horizon_days": "30",
            "min_notice_minutes": "60", "turnaround_target_hours": "72", "closed_on_public_holidays": "on",
            "is_active": "on", "h0_0_open": "08:00", "h0_0_close": "12:00", "h0_1_open": "13:00",
            "h0_1_close": "17:00"}  # fmt: skip
    assert client.post("/console/service-centers/new/", form).status_code == 302
    bad = client.post("/console/service-centers/new/", {**form, "code": "dn-2", "h1_0_open": "12:00",
                                                        "h1_0_close": "08:00", "capacity_per_hour": "x"})  # fmt: skip
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Closing time must be after opening time" in body and "Enter a whole number" in body


def test_a_customer_books_sees_and_cancels_in_the_portal(center: Any, customer: Any, monday: Any) -> None:
    client = _portal(customer)
    page = client.get("/portal/appointments/book/?month=2026-12")
    assert page.status_code == 200 and 'data-day="2026-12-08"' in page.content.decode()
    start = at(TUESDAY, 9).isoformat()
    assert (
        client.get("/portal/appointments/book/confirm/", {"center": center.code, "starts_at": start}).status_code == 200
    )
    done = client.post(
        "/portal/appointments/book/confirm/", {"center": center.code, "starts_at": start, "reason": "Tivi mất tiếng"}
    )
    appointment = Appointment.objects.get()
    assert done.status_code == 302 and appointment.code in done["Location"]
    assert appointment.origin == "portal"
    mine = client.get("/portal/appointments/")
    assert appointment.code in mine.content.decode()
    assert client.post(f"/portal/appointments/{appointment.code}/cancel/").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_a_slot_taken_meanwhile_says_so_in_the_portal(center: Any, customer: Any, monday: Any) -> None:
    _fill(center, 8)  # every morning slot of Tuesday is full
    before = list(AppointmentSlot.objects.values_list("booked", flat=True))
    response = _portal(customer).post("/portal/appointments/book/confirm/",
                                      {"center": center.code, "starts_at": at(TUESDAY, 9).isoformat()})  # fmt: skip
    assert response.status_code == 409 and "just taken" in response.content.decode()
    assert list(AppointmentSlot.objects.values_list("booked", flat=True)) == before


def test_customers_cannot_touch_someone_elses_appointment(center: Any, customer: Any, monday: Any) -> None:
    other = create_customer(actor=None, full_name="Lê Văn C", phone="0933333333")
    appointment = services.book_appointment(actor=None, customer=other, center=center, starts_at=at(TUESDAY, 9))
    assert _portal(customer).post(f"/portal/appointments/{appointment.code}/cancel/").status_code == 404
    assert Client().get("/portal/appointments/").status_code == 302  # to the login


def test_the_signed_link_page_shows_and_cancels(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    path = links.appointment_path(appointment.code, appointment.ends_at)
    client = Client()
    assert appointment.code in client.get(path).content.decode()
    assert client.post(path, {"action": "cancel"}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert client.get("/portal/appointments/link/nonsense/").status_code == 410


def test_api_books_replays_and_refuses(center: Any, customer: Any, monday: Any, api_client_for: Any) -> None:
    client = api_client_for("agent")
    body = {"customer": customer.code, "center": center.code, "starts_at": at(TUESDAY, 9).isoformat(),
            "idempotency_key": "pos-77"}  # fmt: skip
    created = client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["code"].startswith("AP-")
    replay = client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
    assert replay.status_code == 200 and replay.json()["code"] == created.json()["code"]
    bad = client.post("/api/v1/appointments", json.dumps({**body, "idempotency_key": "", "starts_at": "soon"}),
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "starts_at"
    earlier = {**body, "idempotency_key": "", "starts_at": at(dt.date(2026, 12, 1), 9).isoformat()}
    past = client.post("/api/v1/appointments", json.dumps(earlier), content_type="application/json")
    assert past.status_code == 422 and past.json()["error"]["fields"][0]["code"] == "too_soon"
    slots = client.get(f"/api/v1/appointments/slots?center={center.code}&month=2026-12&include_full=true").json()
    tuesday_nine = next(s for s in slots["centers"][0]["slots"] if s["starts_at"].startswith("2026-12-08T02:00"))
    assert tuesday_nine["free"] == 1
    every = client.get("/api/v1/appointments/slots")  # neither centre nor province: every active centre
    assert every.status_code == 200 and [c["center"] for c in every.json()["centers"]] == [center.code]
    assert api_client_for("warehouse").get("/api/v1/appointments").status_code == 403


def test_api_slot_taken_is_a_409(center: Any, customer: Any, monday: Any, api_client_for: Any) -> None:
    _fill(center, 8)
    client = api_client_for("agent")
    body = {"customer": customer.code, "center": center.code, "starts_at": at(TUESDAY, 9).isoformat()}
    response = client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "slot_taken"


def test_staff_search_finds_an_appointment_by_code_and_phone(center: Any, customer: Any, monday: Any,
                                                              make_staff: Any) -> None:  # fmt: skip
    from haumai.repairs.booking.ui import search_booking

    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    agent = make_staff("agent")
    assert [h.title for h in search_booking(appointment.code.lower(), agent, 5)] == [appointment.code]
    assert [h.title for h in search_booking("0912 345 678".replace(" ", ""), agent, 5)] == [appointment.code]
    with clock.frozen(at(TUESDAY, 7)):
        assert search_booking("abc", agent, 5) == []


def test_check_in_at_the_counter_receives_the_unit(center: Any, customer: Any, monday: Any, make_staff: Any) -> None:
    from haumai.catalog.services import create_product, create_unit

    product = create_product(actor=None, sku="DH-1HP", name="Điều hòa 1 HP", is_serialized=True)
    create_unit(actor=None, product=product, serial="DH1HP-0009")
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    client = _staff(make_staff, "agent")
    form = {"serial": "DH1HP-0009", "description": "Điều hòa không mát", "accessories": "Điều khiển"}
    with clock.frozen(at(TUESDAY, 8, 55)):
        assert client.post(f"/console/appointments/{appointment.code}/check-in/", form).status_code == 302
        page = client.get(f"/console/appointments/{appointment.code}/").content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN and appointment.repair_order is not None
    assert f'id="repair-order" href="/console/repairs/{appointment.repair_order.code}/"' in page
    unknown = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 10))
    with clock.frozen(at(TUESDAY, 9, 55)):
        client.post(f"/console/appointments/{unknown.code}/check-in/", {"serial": "NOPE-1"})
    unknown.refresh_from_db()
    assert unknown.status == AppointmentStatus.BOOKED
