"""Which policy and calendar apply: most specific policy wins; team calendar, else default."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from haumai.accounts.models import Team
from haumai.support.models import BusinessCalendar, CalendarShift, ClosedDay, SlaPolicy
from haumai.support.sla.calendar import add_business_seconds
from haumai.support.sla.selectors import DEFAULT_TARGETS, targets_for

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def policy(name: str, first: int, **scope: str) -> SlaPolicy:
    return SlaPolicy.objects.create(name=name, first_response_minutes=first, next_response_minutes=first * 2,
                                    resolution_minutes=first * 10, **scope)


def test_no_policy_and_no_calendar_gives_defaults_with_tet_closed() -> None:
    targets, cal = targets_for(priority="normal", channel="zalo", segment_codes=[], team_id=None)
    assert targets == DEFAULT_TARGETS
    assert dt.date(2027, 2, 6) in cal.closed_dates  # Tết Nguyên Đán 2027
    assert cal.time_zone == "Asia/Ho_Chi_Minh"


def test_the_most_specific_policy_wins() -> None:
    policy("Any", 240)
    policy("Urgent", 60, priority="urgent")
    policy("Urgent Zalo", 30, priority="urgent", channel="zalo")
    policy("VIP", 120, segment_code="vip")
    policy("Inactive", 1, priority="urgent", channel="zalo", segment_code="vip").__class__.objects.filter(
        name="Inactive").update(active=False)
    pick = lambda **kw: targets_for(team_id=None, **kw)[0].first_response_minutes  # noqa: E731
    assert pick(priority="urgent", channel="zalo", segment_codes=["vip"]) == 30
    assert pick(priority="urgent", channel="email", segment_codes=["vip"]) == 60
    assert pick(priority="low", channel="email", segment_codes=["vip", "b2b"]) == 120
    assert pick(priority="low", channel="email", segment_codes=[]) == 240


def test_team_calendar_with_lunch_break_and_closed_day() -> None:
    team = Team.objects.create(code="cskh-hn", name="CSKH Hà Nội")
    cal = BusinessCalendar.objects.create(code="hn", name="Hà Nội", team=team, vietnam_holidays=False)
    for day in range(5):
        CalendarShift.objects.create(calendar=cal, weekday=day, start=dt.time(8), end=dt.time(12))
        CalendarShift.objects.create(calendar=cal, weekday=day, start=dt.time(13), end=dt.time(17))
    ClosedDay.objects.create(calendar=cal, date=dt.date(2026, 12, 3), reason="Kiểm kê")
    _, working = targets_for(priority="normal", channel="email", segment_codes=[], team_id=team.pk)
    # Wed 11:30 + 2 h: 30 min before lunch, 13:00–17:00 gives 1.5 h → 14:30.
    assert add_business_seconds(working, dt.datetime(2026, 12, 2, 11, 30, tzinfo=VN), 7200) \
        == dt.datetime(2026, 12, 2, 14, 30, tzinfo=VN)
    # Thursday is closed: Wed 16:00 + 2 h → Fri 09:00.
    assert add_business_seconds(working, dt.datetime(2026, 12, 2, 16, 0, tzinfo=VN), 7200) \
        == dt.datetime(2026, 12, 4, 9, 0, tzinfo=VN)
    assert dt.date(2027, 2, 6) not in working.closed_dates  # holidays switched off for this calendar
    other = Team.objects.create(code="other", name="Other")
    BusinessCalendar.objects.create(code="default", name="Default", is_default=True, time_zone="UTC")
    assert targets_for(priority="", channel="", segment_codes=[], team_id=other.pk)[1].time_zone == "UTC"
