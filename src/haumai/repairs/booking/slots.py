"""Slot arithmetic: a centre's opening ranges per weekday, minus public holidays and closed days, cut
into slots of the centre's length in its own time zone, minus what is already booked.

`day_slots` is pure (no database); `month_slots` / `province_slots` load what they need in a fixed
number of queries whatever the number of centres."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from haumai.core import clock
from haumai.repairs.models import AppointmentSlot, ClosedDay, OpeningHours, ServiceCenter


class Slot(NamedTuple):
    """One bookable slot: its start and end (aware, UTC), the capacity and the places left."""

    center_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    free: int

    @property
    def is_free(self) -> bool:
        return self.free > 0


@lru_cache(maxsize=32)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays of a year (Tết Nguyên Đán included), Vietnamese names."""
    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


def holiday_name(day: dt.date) -> str:
    """The public holiday on a day, or ''."""
    return public_holidays(day.year).get(day, "")


def day_ranges(hours: Iterable[OpeningHours], weekday: int) -> list[tuple[dt.time, dt.time]]:
    """The opening ranges of one weekday, sorted, overlapping ranges merged."""
    ranges = sorted((h.opens_at, h.closes_at) for h in hours if h.weekday == weekday)
    merged: list[tuple[dt.time, dt.time]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def is_closed(center: ServiceCenter, day: dt.date, closed_days: set[dt.date]) -> bool:
    """Closed that day: a closed day of the centre, or a public holiday where the centre closes on them."""
    return day in closed_days or (center.closed_on_public_holidays and bool(holiday_name(day)))


def day_slots(
    center: ServiceCenter,
    day: dt.date,
    *,
    hours: Sequence[OpeningHours],
    closed_days: set[dt.date],
    booked: dict[dt.datetime, int],
    not_before: dt.datetime | None = None,
) -> list[Slot]:
    """The slots of one local day: whole slots inside each opening range, starting at `not_before` or later."""
    if is_closed(center, day, closed_days):
        return []
    zone = _zone(center.time_zone)
    length = dt.timedelta(minutes=max(5, center.slot_minutes))
    capacity = center.capacity_per_slot
    center_id = center.pk
    found = []
    for opens, closes in day_ranges(hours, day.weekday()):
        # Stepping in UTC: an opening range never spans a daylight-saving change (Vietnam has none).
        start = dt.datetime.combine(day, opens, tzinfo=zone).astimezone(dt.UTC)
        end_of_range = dt.datetime.combine(day, closes, tzinfo=zone).astimezone(dt.UTC)
        while start + length <= end_of_range:
            end = start + length
            if not_before is None or start >= not_before:
                free = capacity - booked.get(start, 0)
                found.append(Slot(center_id, start, end, capacity, free if free > 0 else 0))
            start = end
    return found


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def earliest_bookable(center: ServiceCenter, at: dt.datetime | None = None) -> dt.datetime:
    """The first moment a new booking may start (now plus the centre's minimum notice)."""
    return (at or clock.now()) + dt.timedelta(minutes=center.min_notice_minutes)


def last_bookable_day(center: ServiceCenter) -> dt.date:
    """The last local day customers may book (the booking horizon)."""
    return clock.now().astimezone(ZoneInfo(center.time_zone)).date() + dt.timedelta(days=center.booking_horizon_days)


def month_days(year: int, month: int) -> list[dt.date]:
    """Every day of a month."""
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return [first + dt.timedelta(days=n) for n in range((following - first).days)]


def slots_for_days(centers: Sequence[ServiceCenter], days: Sequence[dt.date]) -> dict[int, list[Slot]]:
    """Slots per centre over some local days (bookable from now on), in three queries for all centres."""
    if not centers or not days:
        return {}
    ids = [center.pk for center in centers]
    hours_by_center: dict[int, list[OpeningHours]] = defaultdict(list)
    for row in OpeningHours.objects.filter(center_id__in=ids):
        hours_by_center[row.center_id].append(row)
    closed_by_center: dict[int, set[dt.date]] = defaultdict(set)
    closed = ClosedDay.objects.filter(center_id__in=ids, date__gte=days[0], date__lte=days[-1])
    for center_id, date in closed.values_list("center_id", "date"):
        closed_by_center[center_id].add(date)
    # One day of margin either side covers any time zone offset.
    window_start = dt.datetime.combine(days[0] - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    window_end = dt.datetime.combine(days[-1] + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    booked_by_center: dict[int, dict[dt.datetime, int]] = defaultdict(dict)
    rows = AppointmentSlot.objects.filter(
        center_id__in=ids, starts_at__gte=window_start, starts_at__lt=window_end, booked__gt=0
    ).values_list("center_id", "starts_at", "booked")
    for center_id, starts_at, count in rows:
        booked_by_center[center_id][starts_at.astimezone(dt.UTC)] = count
    result: dict[int, list[Slot]] = {}
    for center in centers:
        not_before = earliest_bookable(center)
        horizon = last_bookable_day(center)
        result[center.pk] = [
            slot
            for day in days
            if day <= horizon
            for slot in day_slots(
                center,
                day,
                hours=hours_by_center[center.pk],
                closed_days=closed_by_center[center.pk],
                booked=booked_by_center[center.pk],
                not_before=not_before,
            )
        ]
    return result


def month_slots(center: ServiceCenter, year: int, month: int) -> list[Slot]:
    """The bookable slots of a centre in a month (full ones included, with free=0)."""
    return slots_for_days([center], month_days(year, month)).get(center.pk, [])


def province_slots(province: str, year: int, month: int) -> dict[ServiceCenter, list[Slot]]:
    """The bookable slots of a month at every active centre of a province (or every province if '')."""
    centers = ServiceCenter.objects.filter(is_active=True).order_by("name")
    if province:
        centers = centers.filter(province=province)
    listed = list(centers)
    by_id = slots_for_days(listed, month_days(year, month))
    return {center: by_id.get(center.pk, []) for center in listed}


def find_slot(center: ServiceCenter, starts_at: dt.datetime) -> Slot | None:
    """The slot of a centre starting exactly at `starts_at` (ignoring notice and horizon), or None."""
    local_day = starts_at.astimezone(ZoneInfo(center.time_zone)).date()
    hours = list(OpeningHours.objects.filter(center=center))
    closed = set(ClosedDay.objects.filter(center=center, date=local_day).values_list("date", flat=True))
    for slot in day_slots(center, local_day, hours=hours, closed_days=closed, booked={}):
        if slot.starts_at == starts_at.astimezone(dt.UTC):
            return slot
    return None
