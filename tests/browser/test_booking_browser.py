"""A customer books a free slot at a service centre in the portal (phone-sized screen), then cancels it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from haumai.customers.services import create_customer
from haumai.repairs.booking.centers import HoursRange, save_center
from haumai.repairs.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def center(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    create_customer(actor=None, full_name="Lê Thị Hoa", phone="0903 111 222", email="hoa@example.vn")
    hours = [HoursRange(day, dt.time(7), dt.time(11, 30)) for day in range(7)]
    hours += [HoursRange(day, dt.time(13), dt.time(20)) for day in range(7)]
    values = {"name": "Trung tâm bảo hành Cầu Giấy", "province": "Hà Nội", "address": "123 Xuân Thủy, Hà Nội",
              "closed_on_public_holidays": False}  # fmt: skip
    return save_center(actor=None, code="hn-cau-giay", values=values, hours=hours)


def test_customer_books_a_free_slot_and_cancels_it(live_server: Any, browser: Any, center: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/portal/appointments/book/")
        page.wait_for_url("**/portal/login/**")
        page.fill("input[name=identifier]", "hoa@example.vn")
        page.click("button[type=submit]")
        page.wait_for_url("**/portal/login/code/")
        code = re.search(r"\b(\d{6})\b", mail.outbox[0].body)
        assert code is not None
        page.fill("input[name=code]", code.group(1))
        page.click("button[type=submit]")
        page.goto(live_server.url + "/portal/appointments/book/")
        slots = page.locator("#free-slots a[data-slot]")
        if slots.count() == 0:  # late in the month: the next one has free slots
            page.locator("#next-month").click()
        chosen = page.locator("#free-slots a[data-slot]").first
        chosen.click()
        page.wait_for_url("**/portal/appointments/book/confirm/**")
        page.fill("#reason", "Điện thoại sạc không vào pin")
        page.locator("#confirm-booking button[type=submit]").click()
        page.wait_for_url("**/portal/appointments/?booked=*")
        appointment = Appointment.objects.get()
        assert page.locator("#appointment-booked").is_visible()
        assert appointment.code in page.locator("#my-appointments").inner_text()
        assert appointment.origin == "portal" and appointment.reason == "Điện thoại sạc không vào pin"
        page.locator(f"[data-appointment='{appointment.code}'] button[type=submit]").click()
        page.wait_for_url("**/portal/appointments/")
        assert page.locator(f"[data-appointment='{appointment.code}'][data-status='cancelled']").count() == 1
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
    finally:
        context.close()
