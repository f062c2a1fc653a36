"""A manager sets up SLA in a real browser (Vietnamese UI): calendar shifts with lunch, a closed day,
the Tết preview, and a policy whose error stays beside the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.segments import services as segment_services
from haumai.support.models import BusinessCalendar, ClosedDay, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_sets_up_a_calendar_and_a_policy(live_server: Any, page: Any) -> None:
    manager = create_staff_user(username="lan.manager", password="s3cret-pass-123", role="manager",
                                full_name="Trần Lan")
    vip = segment_services.save_segment(actor=manager, data=segment_services.SegmentInput(
        name="Khách chi tiêu lớn", rules={"min_spend": 20_000_000}))  # fmt: skip
    page.goto(live_server.url + "/console/")
    page.fill("#id_username", "lan.manager")
    page.fill("#id_password", "s3cret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    page.goto(live_server.url + "/console/support/sla/calendars/")
    page.get_by_role("link", name="Lịch mới").click()
    page.fill("#id_name", "CSKH Hà Nội")
    page.fill("#id_code", "cskh-hn")
    page.click("#calendar-form button[type=submit]")
    page.wait_for_url("**/console/support/sla/calendars/*/")
    calendar = BusinessCalendar.objects.get(code="cskh-hn")
    # Overlapping shifts are refused beside the weekday.
    page.fill("#id_day_0", "08:00-12:00, 11:00-17:00")
    page.get_by_role("button", name="Lưu ca làm việc").click()
    page.locator("#shifts .alert-danger").wait_for()
    assert calendar.shifts.count() == 11
    page.fill("#id_day_0", "08:00-12:00, 13:30-17:30")
    page.fill("#id_day_5", "")
    page.get_by_role("button", name="Lưu ca làm việc").click()
    page.locator(".alert-success, .toast, [role=status]").first.wait_for()
    assert not calendar.shifts.filter(weekday=5).exists()
    page.fill("#id_date", "2026-12-31")
    page.fill("#id_reason", "Kiểm kê cuối năm")
    page.get_by_role("button", name="Nghỉ ngày này").click()
    page.locator("#closed-days").get_by_text("Kiểm kê cuối năm").wait_for()
    assert ClosedDay.objects.filter(calendar=calendar, date=dt.date(2026, 12, 31)).exists()
    page.goto(live_server.url + f"/console/support/sla/calendars/{calendar.pk}/?year=2027#holidays")
    assert page.locator("#holiday-table tr[data-tet]").count() == 7
    page.locator("#holiday-table tr[data-tet]").filter(has_text="Mùng hai Tết Nguyên Đán").wait_for()

    page.goto(live_server.url + "/console/support/sla/policies/new/")
    page.fill("#id_name", "Khách VIP")
    page.select_option("#id_segment_code", vip.key)
    page.click("#policy-form button[type=submit]")
    page.locator("#id_first_response_minutes.is-invalid").wait_for()
    assert page.input_value("#id_name") == "Khách VIP"  # what was typed is kept
    page.fill("#id_first_response_minutes", "30")
    page.fill("#id_resolution_minutes", "720")
    page.click("#policy-form button[type=submit]")
    page.wait_for_url("**/console/support/sla/policies/")
    page.locator("#policies-table").get_by_text("Khách VIP").wait_for()
    assert SlaPolicy.objects.get(segment_code=vip.key).first_response_minutes == 30
