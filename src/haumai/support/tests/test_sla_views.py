"""SLA settings pages: permissions, form errors beside the field, holiday preview with Tết."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.core import clock
from haumai.support.models import BusinessCalendar, ClosedDay, SlaPolicy
from haumai.support.sla import services

pytestmark = pytest.mark.django_db


def login(make_staff: Any, role: str) -> tuple[Client, Any]:
    user = make_staff(role)
    client = Client()
    client.force_login(user)
    return client, user


def test_agents_cannot_see_or_change_settings(make_staff: Any) -> None:
    client, _ = login(make_staff, "agent")
    assert client.get(reverse("support_sla:calendars")).status_code == 403
    assert client.post(reverse("support_sla:policy_create"), {"name": "x"}).status_code == 403
    assert not SlaPolicy.objects.exists()


def test_manager_creates_a_calendar_then_edits_shifts_and_closed_days(make_staff: Any) -> None:
    client, _ = login(make_staff, "manager")
    bad = client.post(reverse("support_sla:calendar_create"), {"name": "HCM", "code": "hcm", "time_zone": "Nowhere/X"})
    assert bad.status_code == 422 and b"Unknown time zone" in bad.content
    assert not BusinessCalendar.objects.exists()
    response = client.post(
        reverse("support_sla:calendar_create"),
        {"name": "CSKH HCM", "code": "hcm", "time_zone": "Asia/Ho_Chi_Minh", "vietnam_holidays": "on"},
    )
    cal = BusinessCalendar.objects.get()
    assert response.status_code == 302 and cal.shifts.count() == 11  # office hours to start with
    shifts_url = reverse("support_sla:calendar_update", args=[cal.pk, "shifts"])
    overlap = client.post(shifts_url, {"day_0": "08:00-12:00, 11:00-13:00"})
    assert overlap.status_code == 422 and b"overlap" in overlap.content
    garbled = client.post(shifts_url, {"day_1": "eight to noon"})
    assert garbled.status_code == 422 and b"is-invalid" in garbled.content
    assert cal.shifts.count() == 11  # nothing changed
    assert client.post(shifts_url, {"day_0": "08:00-12:00, 13:30-17:30", "day_5": "8h00-12h00"}).status_code == 302
    assert cal.shifts.count() == 3
    closed_url = reverse("support_sla:calendar_update", args=[cal.pk, "closed"])
    assert client.post(closed_url, {"date": "2026-12-24", "reason": "Kiểm kê"}).status_code == 302
    again = client.post(closed_url, {"date": "2026-12-24"})
    assert again.status_code == 422 and b"already closed" in again.content
    assert ClosedDay.objects.count() == 1


def test_calendar_page_previews_tet(make_staff: Any, django_assert_max_num_queries: Any) -> None:
    client, manager = login(make_staff, "manager")
    clock.freeze(dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC))
    cal = services.save_calendar(actor=manager, code="hn", name="Hà Nội", time_zone="Asia/Ho_Chi_Minh")
    services.set_shifts(actor=manager, calendar=cal, shifts=[(d, dt.time(8), dt.time(17)) for d in range(5)])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("support_sla:calendar", args=[cal.pk]) + "?year=2027")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-tet="1"') == 7  # 29 Tết .. mùng 5, 2027
    assert "06/02/2027" in html


def test_policy_form_errors_and_edit(make_staff: Any, django_assert_max_num_queries: Any) -> None:
    client, _ = login(make_staff, "manager")
    empty = client.post(
        reverse("support_sla:policy_create"), {"name": "Khẩn", "priority": "urgent", "warn_percent": 80}
    )
    assert empty.status_code == 422 and b"Set at least one target" in empty.content
    assert not SlaPolicy.objects.exists()
    ok = client.post(
        reverse("support_sla:policy_create"),
        {
            "name": "Khẩn",
            "priority": "urgent",
            "channel": "zalo",
            "first_response_minutes": 15,
            "warn_percent": 80,
            "active": "on",
        },
    )
    assert ok.status_code == 302
    policy = SlaPolicy.objects.get()
    clash = client.post(
        reverse("support_sla:policy_create"),
        {
            "name": "Dup",
            "priority": "urgent",
            "channel": "zalo",
            "first_response_minutes": 5,
            "warn_percent": 80,
            "active": "on",
        },
    )
    assert clash.status_code == 422 and SlaPolicy.objects.count() == 1
    client.post(
        reverse("support_sla:policy", args=[policy.pk]),
        {
            "name": "Khẩn Zalo",
            "priority": "urgent",
            "channel": "zalo",
            "first_response_minutes": 10,
            "warn_percent": 90,
            "active": "on",
        },
    )
    policy.refresh_from_db()
    assert (policy.name, policy.first_response_minutes, policy.warn_percent) == ("Khẩn Zalo", 10, 90)
    for index in range(5):
        SlaPolicy.objects.create(name=f"P{index}", segment_code=f"s{index}", first_response_minutes=60)
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("support_sla:policies"))
    assert listing.status_code == 200 and "Khẩn Zalo" in listing.content.decode()


def test_a_policy_applies_to_a_saved_segment_chosen_from_a_list(make_staff: Any) -> None:
    from haumai.segments.models import Segment

    Segment.objects.create(key="khach-vip", name="Khách VIP", search_key="khach vip")
    Segment.objects.create(key="khach-moi", name="Khách mới", search_key="khach moi")
    client, _ = login(make_staff, "manager")
    form = client.get(reverse("support_sla:policy_create")).content.decode()
    assert '<option value="khach-vip">Khách VIP</option>' in form and "Any segment" in form
    base = {"name": "VIP", "first_response_minutes": 30, "warn_percent": 80, "active": "on"}
    refused = client.post(reverse("support_sla:policy_create"), {**base, "segment_code": "khong-co"})
    assert refused.status_code == 422 and "Select a valid choice" in refused.content.decode()
    assert not SlaPolicy.objects.exists()
    saved = client.post(reverse("support_sla:policy_create"), {**base, "segment_code": "khach-vip"})
    assert saved.status_code == 302
    policy = SlaPolicy.objects.get()
    assert policy.segment_code == "khach-vip"
    listing = client.get(reverse("support_sla:policies")).content.decode()
    assert "<td>Khách VIP</td>" in listing and "<td>khach-vip</td>" not in listing
    Segment.objects.filter(key="khach-vip").delete()  # the segment goes away: the policy still edits
    edit = client.get(reverse("support_sla:policy", args=[policy.pk])).content.decode()
    assert "khach-vip (segment deleted)" in edit
