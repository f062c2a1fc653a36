"""Slot arithmetic: opening ranges with a lunch break, public holidays (Tết), closed days, capacity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.repairs.booking import slots
from haumai.repairs.booking.centers import add_closed_day
from haumai.repairs.booking.services import book_appointment
from haumai.repairs.tests.booking_helpers import at, make_center

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]

pytestmark = pytest.mark.django_db


def _local_times(found: list[slots.Slot]) -> list[str]:
    return [s.starts_at.astimezone(slots.ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M") for s in found]


def test_a_weekday_has_slots_in_both_ranges_around_lunch(center: Any, monday: Any) -> None:
    day = dt.date(2026, 12, 8)  # Tuesday
    found = slots.slots_for_days([center], [day])[center.pk]
    assert _local_times(found) == ["08:00", "09:00", "10:00", "11:00", "13:30", "14:30", "15:30", "16:30"]
    assert all(s.capacity == 2 and s.free == 2 for s in found)
    assert found[0].ends_at - found[0].starts_at == dt.timedelta(hours=1)


def test_saturday_morning_only_and_sunday_closed(center: Any, monday: Any) -> None:
    found = slots.slots_for_days([center], [dt.date(2026, 12, 12), dt.date(2026, 12, 13)])[center.pk]
    assert _local_times(found) == ["08:00", "09:00", "10:00", "11:00"]


def test_today_starts_after_the_minimum_notice(center: Any, monday: Any) -> None:
    found = slots.slots_for_days([center], [dt.date(2026, 12, 7)])[center.pk]
    assert _local_times(found)[0] == "09:00"  # it is 08:00; one hour of notice


def test_tet_and_new_year_are_closed_unless_the_centre_opens_on_holidays(db: Any, monday: Any) -> None:
    closed = make_center("closed-on-holidays", booking_horizon_days=120)
    opened = make_center("open-on-holidays", closed_on_public_holidays=False, booking_horizon_days=120)
    tet = dt.date(2027, 2, 8)  # Monday, Mùng ba Tết
    assert slots.holiday_name(tet)
    assert slots.holiday_name(dt.date(2027, 1, 1))
    found = slots.slots_for_days([closed, opened], [tet])
    assert found[closed.pk] == [] and len(found[opened.pk]) == 8


def test_a_closed_day_has_no_slot(center: Any, monday: Any) -> None:
    add_closed_day(actor=None, center=center, date=dt.date(2026, 12, 9), reason="Kiểm kê")
    found = slots.slots_for_days([center], [dt.date(2026, 12, 9), dt.date(2026, 12, 10)])[center.pk]
    assert {s.starts_at.astimezone(slots.ZoneInfo("Asia/Ho_Chi_Minh")).date() for s in found} == {dt.date(2026, 12, 10)}


def test_booked_places_are_subtracted_and_a_full_slot_shows_no_place(center: Any, customer: Any, monday: Any) -> None:
    from haumai.customers.services import create_customer

    other = create_customer(actor=None, full_name="Trần Thị Bình", phone="0987654321")
    start = at(dt.date(2026, 12, 8), 9)
    book_appointment(actor=None, customer=customer, center=center, starts_at=start)
    first = {s.starts_at: s.free for s in slots.month_slots(center, 2026, 12)}
    assert first[start] == 1
    book_appointment(actor=None, customer=other, center=center, starts_at=start)
    second = {s.starts_at: s for s in slots.month_slots(center, 2026, 12)}
    assert second[start].free == 0 and not second[start].is_free


def test_a_month_counts_every_open_day_within_the_horizon(center: Any, monday: Any) -> None:
    found = slots.month_slots(center, 2027, 1)
    days = {s.starts_at.astimezone(slots.ZoneInfo("Asia/Ho_Chi_Minh")).date() for s in found}
    # Horizon 60 days from 07/12/2026 = 05/02/2027: all of January, minus Sundays and 1 January.
    assert dt.date(2027, 1, 1) not in days and dt.date(2027, 1, 3) not in days
    assert len(found) == sum(8 if d.weekday() < 5 else 4 for d in slots.month_days(2027, 1)
                             if d.weekday() < 6 and d != dt.date(2027, 1, 1))  # fmt: skip
    assert slots.month_slots(center, 2027, 3) == []  # beyond the horizon


def test_slot_length_and_capacity_scale(db: Any, monday: Any) -> None:
    quick = make_center("quick", capacity=4, slot_minutes=30)
    found = slots.slots_for_days([quick], [dt.date(2026, 12, 8)])[quick.pk]
    assert len(found) == 16 and found[0].capacity == 2


def test_province_search_covers_every_centre_of_the_province(db: Any, monday: Any) -> None:
    make_center("hn-1")
    make_center("hn-2")
    make_center("hcm-1", province="TP. Hồ Chí Minh")
    found = slots.province_slots("Hà Nội", 2026, 12)
    assert sorted(c.code for c in found) == ["hn-1", "hn-2"]
    assert all(found.values())


def test_a_month_at_many_centres_costs_three_queries(db: Any, monday: Any, django_assert_num_queries: Any) -> None:
    centers = [make_center(f"c-{n}") for n in range(5)]
    with django_assert_num_queries(3):
        slots.slots_for_days(centers, slots.month_days(2026, 12))
