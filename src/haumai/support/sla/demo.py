"""Demo SLA settings: two team calendars (office hours with lunch, a 7-day hotline) and a few policies."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from haumai.accounts.models import Team
from haumai.support.models import BusinessCalendar, SlaPolicy
from haumai.support.sla import services

OFFICE = [(day, dt.time(8), dt.time(12)) for day in range(6)] + [
    (day, dt.time(13, 30), dt.time(17, 30)) for day in range(5)
]
HOTLINE = [(day, dt.time(7), dt.time(11, 30)) for day in range(7)] + [
    (day, dt.time(13), dt.time(21)) for day in range(7)
]
POLICIES = [
    # name, priority, channel, segment, first, next, resolution (business minutes), warn %
    ("Mặc định", "", "", "", 240, 480, 2400, 80),
    ("Khẩn cấp", "urgent", "", "", 30, 60, 480, 80),
    ("Ưu tiên cao", "high", "", "", 60, 120, 960, 80),
    ("Zalo và Messenger", "normal", "zalo", "", 60, 120, 1440, 80),
    ("Facebook Messenger", "normal", "facebook", "", 60, 120, 1440, 80),
    ("Khách VIP", "", "", "khach-vip", 30, 60, 720, 75),  # the segments demo's "Khách VIP"
]


def seed_sla() -> dict[str, int]:
    """Create the demo calendars and policies once (skipped when any calendar exists)."""
    if BusinessCalendar.objects.exists():
        return {}
    actor = get_user_model().objects.filter(username="manager").first()
    care, _ = Team.objects.get_or_create(code="cskh", defaults={"name": "Chăm sóc khách hàng"})
    hotline, _ = Team.objects.get_or_create(code="hotline", defaults={"name": "Tổng đài 1900"})
    office = services.save_calendar(
        actor=actor,
        code="van-phong",
        name="Giờ hành chính",
        time_zone="Asia/Ho_Chi_Minh",
        team=care,
        is_default=True,
        vietnam_holidays=True,
    )
    services.set_shifts(actor=actor, calendar=office, shifts=OFFICE)
    services.add_closed_day(actor=actor, calendar=office, date=dt.date(2026, 12, 31), reason="Kiểm kê cuối năm")
    phone = services.save_calendar(
        actor=actor,
        code="tong-dai",
        name="Tổng đài 7 ngày",
        time_zone="Asia/Ho_Chi_Minh",
        team=hotline,
        vietnam_holidays=False,
    )
    services.set_shifts(actor=actor, calendar=phone, shifts=HOTLINE)
    for name, priority, channel, segment, first, following, resolution, warn in POLICIES:
        services.save_policy(
            actor=actor,
            name=name,
            priority=priority,
            channel=channel,
            segment_code=segment,
            first_response_minutes=first,
            next_response_minutes=following,
            resolution_minutes=resolution,
            warn_percent=warn,
            active=True,
        )
    return {"sla calendars": BusinessCalendar.objects.count(), "sla policies": SlaPolicy.objects.count()}
