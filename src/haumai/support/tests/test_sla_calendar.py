"""Business-time arithmetic: examples (lunch break, Tết, weekends) and Hypothesis properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haumai.support.sla.calendar import (
    CalendarError,
    WorkingCalendar,
    add_business_seconds,
    add_business_time,
    business_seconds_between,
    business_time_between,
    default_calendar,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TET_2027 = [dt.date(2027, 2, 5) + dt.timedelta(days=i) for i in range(5)]  # 29 Chạp – mùng 4


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)  # type: ignore[misc]


def office(closed: list[dt.date] | None = None, time_zone: str = "Asia/Ho_Chi_Minh") -> WorkingCalendar:
    return WorkingCalendar.build(
        time_zone=time_zone,
        shifts={day: [("08:00", "12:00"), ("13:30", "17:30")] for day in range(5)} | {5: [("08:00", "12:00")]},
        closed_dates=closed or [],
    )


def test_an_hour_before_lunch_plus_two_hours_skips_the_break() -> None:
    cal = office()
    due = add_business_seconds(cal, vn(2026, 12, 2, 11, 0), 2 * 3600)
    assert due == vn(2026, 12, 2, 14, 30)
    assert business_seconds_between(cal, vn(2026, 12, 2, 11, 0), due) == 7200


def test_friday_afternoon_rolls_to_saturday_morning_then_monday() -> None:
    cal = office()
    # Fri 2026-12-04 17:00 + 5 h: 30 min Fri, 4 h Sat morning, 30 min Monday.
    assert add_business_seconds(cal, vn(2026, 12, 4, 17, 0), 5 * 3600) == vn(2026, 12, 7, 8, 30)


def test_tet_contributes_nothing_and_is_skipped() -> None:
    cal = office(closed=TET_2027)
    start = vn(2027, 2, 4, 17, 0)  # Thursday before Tết
    assert business_seconds_between(cal, vn(2027, 2, 5, 0, 0), vn(2027, 2, 10, 0, 0)) == 0
    # 30 min Thursday, Tết Fri–Tue closed (incl. the weekend), Wednesday 08:00 + 30 min.
    assert add_business_seconds(cal, start, 3600) == vn(2027, 2, 10, 8, 30)


def test_starting_outside_hours_counts_from_the_next_opening() -> None:
    cal = office()
    assert add_business_seconds(cal, vn(2026, 12, 2, 12, 30), 60) == vn(2026, 12, 2, 13, 31)
    assert add_business_seconds(cal, vn(2026, 12, 2, 22, 0), 0) == vn(2026, 12, 2, 22, 0)
    assert business_seconds_between(cal, vn(2026, 12, 2, 12, 5), vn(2026, 12, 2, 13, 25)) == 0


def test_reaching_the_end_of_a_shift_exactly_is_due_at_that_end() -> None:
    assert add_business_seconds(office(), vn(2026, 12, 2, 11, 0), 3600) == vn(2026, 12, 2, 12, 0)


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(CalendarError):
        WorkingCalendar.build(time_zone="Asia/Ho_Chi_Minh", shifts={0: [("12:00", "08:00")]})
    with pytest.raises(CalendarError):
        WorkingCalendar.build(time_zone="Asia/Ho_Chi_Minh", shifts={0: [("08:00", "12:00"), ("11:00", "13:00")]})
    with pytest.raises(CalendarError):
        WorkingCalendar.build(time_zone="Mars/Olympus", shifts={0: [("08:00", "12:00")]})
    with pytest.raises(CalendarError):
        WorkingCalendar.build(time_zone="Asia/Ho_Chi_Minh", shifts={})


def test_a_calendar_closed_for_ever_does_not_hang() -> None:
    cal = WorkingCalendar.build(time_zone="UTC", shifts={0: [("08:00", "09:00")]},
                                closed_dates=[dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(400)])
    with pytest.raises(CalendarError):
        add_business_seconds(cal, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 60)


def test_midnight_end_and_round_the_clock_shift() -> None:
    cal = WorkingCalendar.build(time_zone="UTC", shifts={d: [("00:00", "00:00")] for d in range(7)})
    a = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    assert business_seconds_between(cal, a, a + dt.timedelta(days=3)) == 3 * 86400


# --- properties -------------------------------------------------------------------------------

ZONES = ["Asia/Ho_Chi_Minh", "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
         "America/Santiago", "Asia/Kathmandu", "Pacific/Chatham"]

minutes = st.integers(min_value=0, max_value=24 * 60)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    zone = draw(st.one_of(st.sampled_from(ZONES), st.timezones().map(str)))
    shifts: dict[int, list[tuple[int, int]]] = {}
    for day in range(7):
        cuts = sorted(set(draw(st.lists(minutes, max_size=6))))
        pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
        shifts[day] = pairs
    if not any(shifts.values()):
        shifts[draw(st.integers(0, 6))] = [(8 * 60, 17 * 60)]
    base = dt.date(2026, 1, 1)
    closed = draw(st.lists(st.integers(0, 800).map(lambda n: base + dt.timedelta(days=n)), max_size=40))
    return WorkingCalendar.build(time_zone=zone, shifts=shifts, closed_dates=closed)


instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(dt.UTC)
)
amounts = st.integers(min_value=0, max_value=200 * 3600)


@settings(max_examples=300, deadline=None)
@given(cal=calendars(), start=instants, seconds=amounts)
def test_add_then_measure_round_trips(cal: WorkingCalendar, start: dt.datetime, seconds: int) -> None:
    end = add_business_seconds(cal, start, seconds)
    assert end >= start
    assert business_time_between(cal, start, end) == dt.timedelta(seconds=seconds)


@settings(max_examples=300, deadline=None)
@given(cal=calendars(), a=instants, b=instants, c=instants)
def test_measure_is_additive_over_any_split(
    cal: WorkingCalendar, a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    a, b, c = sorted([a, b, c])
    assert business_time_between(cal, a, c) == business_time_between(cal, a, b) + business_time_between(cal, b, c)
    assert business_time_between(cal, c, a) == dt.timedelta(0)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=instants, s1=amounts, s2=amounts)
def test_adding_is_monotonic_and_composes(cal: WorkingCalendar, start: dt.datetime, s1: int, s2: int) -> None:
    small, large = sorted([s1, s2])
    assert add_business_seconds(cal, start, small) <= add_business_seconds(cal, start, large)
    if small > 0:  # from a positive amount on, the end is inside open time, so adding again continues there
        middle = add_business_seconds(cal, start, small)
        assert add_business_seconds(cal, middle, large) == add_business_seconds(cal, start, small + large)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), a=instants, b=instants)
def test_measure_never_exceeds_wall_time(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> None:
    a, b = sorted([a, b])
    assert dt.timedelta(0) <= business_time_between(cal, a, b) <= b - a


@settings(max_examples=150, deadline=None)
@given(cal=calendars(), day_offset=st.integers(0, 700))
def test_closed_days_contribute_nothing(cal: WorkingCalendar, day_offset: int) -> None:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=day_offset)
    closed = WorkingCalendar(time_zone=cal.time_zone, weekly=cal.weekly, closed_dates=cal.closed_dates | {day})
    zone = ZoneInfo(cal.time_zone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    assert business_time_between(closed, start, end) == dt.timedelta(0)
    # And closing a day removes exactly that day's open time from any longer span.
    wide_start, wide_end = start - dt.timedelta(days=3), end + dt.timedelta(days=3)
    assert business_time_between(cal, wide_start, wide_end) - business_time_between(closed, wide_start, wide_end) \
        == business_time_between(cal, start, end)


@settings(max_examples=100, deadline=None)
@given(start=instants, seconds=amounts)
def test_vietnam_calendar_due_dates_fall_inside_shifts(start: dt.datetime, seconds: int) -> None:
    cal = default_calendar(closed_dates=TET_2027)
    due = add_business_time(cal, start, dt.timedelta(seconds=max(seconds, 1))).astimezone(VN)
    assert due.date() not in TET_2027
    minute = due.hour * 60 + due.minute + (1 if due.second or due.microsecond else 0)
    ranges = cal.weekly[due.weekday()]
    assert any(begin < minute <= end or (begin <= minute <= end) for begin, end in ranges)
