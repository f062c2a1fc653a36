"""Business time: a working calendar and the arithmetic on it (pure, no database).

A `WorkingCalendar` is a time zone, a weekly pattern of shifts (several ranges a day, so a lunch break is
simply the gap between two ranges) and a set of closed dates (public holidays, Tết, extra closed days).
Shifts are wall-clock times in the calendar's zone; the arithmetic converts each day's shifts to UTC
instants, clipped to that day's own midnight-to-midnight window and merged, so daylight-saving gaps and
overlaps in any zoneinfo zone never count a second twice. Vietnam has no DST; the rules hold anyway.

`business_time_between` is exact (a timedelta, microseconds included) and additive:
f(a, c) == f(a, b) + f(b, c) for a <= b <= c. `add_business_seconds` is its inverse:
business_time_between(start, add_business_seconds(start, s)) == s seconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
DAY_MINUTES = 24 * 60
# A walk that finds no open minute in this many days gives up (a calendar that is closed for ever).
MAX_SCAN_DAYS = 3 * 366

PREFIX_MARGIN_DAYS = 400
GROWTH_DAYS = 60
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)

Range = tuple[int, int]  # (start minute, end minute) of a day; end may be 1440 (midnight at the end)


class CalendarError(ValueError):
    """A calendar that cannot be used (bad shift ranges, never open)."""


def _minutes(value: dt.time | str | int, *, end: bool) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        hours, minutes = value.split(":")[:2]
        total = int(hours) * 60 + int(minutes)
    else:
        total = value.hour * 60 + value.minute
    # An end of 00:00 means the shift runs until midnight.
    return DAY_MINUTES if end and total == 0 else total


def normalize_ranges(ranges: Iterable[tuple[dt.time | str | int, dt.time | str | int]]) -> tuple[Range, ...]:
    """Sort a day's shift ranges into minutes and refuse empty or overlapping ones."""
    result = sorted((_minutes(start, end=False), _minutes(stop, end=True)) for start, stop in ranges)
    previous_end = 0
    for start, stop in result:
        if not 0 <= start < stop <= DAY_MINUTES:
            label = f"{start // 60:02d}:{start % 60:02d}-{stop // 60:02d}:{stop % 60:02d}"
            raise CalendarError(f"shift {label} ends before it starts")
        if start < previous_end:
            raise CalendarError("shifts of one day overlap")
        previous_end = stop
    return tuple(result)


@dataclass(frozen=True)
class WorkingCalendar:
    """Time zone, weekly shifts (index 0 = Monday) and closed dates."""

    time_zone: str
    weekly: tuple[tuple[Range, ...], ...]
    closed_dates: frozenset[dt.date] = frozenset()
    name: str = ""
    _cache: dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    _us_cache: dict[dt.date, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    _prefix_state: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarError("a weekly pattern has seven days")
        object.__setattr__(self, "weekly", tuple(normalize_ranges(day) for day in self.weekly))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        try:
            ZoneInfo(self.time_zone)
        except (KeyError, ValueError) as error:
            raise CalendarError(f"unknown time zone {self.time_zone!r}") from error
        if not any(self.weekly):
            raise CalendarError("a calendar needs at least one shift in the week")

    @classmethod
    def build(
        cls,
        *,
        time_zone: str,
        shifts: Mapping[int, Sequence[tuple[dt.time | str | int, dt.time | str | int]]],
        closed_dates: Iterable[dt.date] = (),
        name: str = "",
    ) -> WorkingCalendar:
        """A calendar from {weekday: [(start, end), ...]} (0 = Monday; times as time, "HH:MM" or minutes)."""
        weekly = tuple(normalize_ranges(shifts.get(day, ())) for day in range(7))
        return cls(time_zone=time_zone, weekly=weekly, closed_dates=frozenset(closed_dates), name=name)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's zoneinfo zone."""
        return ZoneInfo(self.time_zone)

    def is_open_date(self, day: dt.date) -> bool:
        """Whether the date has any shift (a working weekday that is not closed)."""
        return bool(self.weekly[day.weekday()]) and day not in self.closed_dates

    def intervals_on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The date's open intervals as UTC instants, clipped to the date and merged."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        result: list[tuple[dt.datetime, dt.datetime]] = []
        if self.is_open_date(day):
            zone = self.zone
            day_start = dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(UTC)
            day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(UTC)
            for start_minute, end_minute in self.weekly[day.weekday()]:
                start = self._instant(day, start_minute, zone)
                end = day_end if end_minute == DAY_MINUTES else self._instant(day, end_minute, zone)
                start, end = max(start, day_start), min(end, day_end)
                if result and start < result[-1][1]:
                    start = result[-1][1]  # a DST jump mapped two ranges onto the same instants
                if end > start:
                    if result and result[-1][1] == start:
                        result[-1] = (result[-1][0], end)
                    else:
                        result.append((start, end))
        frozen = tuple(result)
        self._cache[day] = frozen
        return frozen

    @staticmethod
    def _instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=zone).astimezone(UTC)

    def local_date(self, at: dt.datetime) -> dt.date:
        """The calendar date of an instant in the calendar's zone."""
        return at.astimezone(self.zone).date()

    # Cumulative open time in integer microseconds, so that measuring is O(1) and adding is a binary
    # search. Values count from a fixed anchor (the first date ever asked about) and stay comparable for
    # the calendar's whole life: growing the table backwards lowers `base` by the time added in front.
    # State is one tuple (origin, base, prefix): prefix[i] = open time of dates origin .. origin + i - 1.

    def _day_us(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        cached = self._us_cache.get(day)
        if cached is None:
            cached = tuple(((b - _EPOCH) // _US, (e - _EPOCH) // _US) for b, e in self.intervals_on(day))
            self._us_cache[day] = cached
        return cached

    def _day_total(self, day: dt.date) -> int:
        return sum(e - b for b, e in self._day_us(day))

    def _table(self, first: dt.date, last: dt.date) -> tuple[dt.date, int, list[int]]:
        """(origin, base, prefix) covering the dates first .. last."""
        state = self._prefix_state.get("table")
        if isinstance(state, tuple):
            origin, base, prefix = state
            if origin <= first and (last - origin).days + 2 <= len(prefix):
                return state
        with self._lock:
            state = self._prefix_state.get("table")
            if not isinstance(state, tuple):
                state = (first - dt.timedelta(days=PREFIX_MARGIN_DAYS), 0, [0])
            origin, base, prefix = state
            if first < origin:
                start = first - dt.timedelta(days=max(PREFIX_MARGIN_DAYS, (origin - first).days))
                front = [0]
                day = start
                while day < origin:
                    front.append(front[-1] + self._day_total(day))
                    day += dt.timedelta(days=1)
                prefix = front + [front[-1] + value for value in prefix[1:]]
                origin, base = start, base - front[-1]
            else:
                prefix = list(prefix)
            while len(prefix) < (last - origin).days + 2 + GROWTH_DAYS:
                prefix.append(prefix[-1] + self._day_total(origin + dt.timedelta(days=len(prefix) - 1)))
            state = (origin, base, prefix)
            self._prefix_state["table"] = state
            return state

    def cumulative_us(self, at: dt.datetime) -> int:
        """Open microseconds from the calendar's anchor up to `at` (comparable across calls)."""
        at_us = (at - _EPOCH) // _US
        first = self.local_date(at) - dt.timedelta(days=1)
        origin, base, prefix = self._table(first, first + dt.timedelta(days=2))
        total = base + prefix[(first - origin).days]
        for offset in range(3):
            for begin, end in self._day_us(first + dt.timedelta(days=offset)):
                if begin >= at_us:
                    return total
                total += min(end, at_us) - begin
        return total

    def instant_at_cumulative_us(self, target: int, *, after: dt.datetime) -> dt.datetime:
        """The earliest instant whose cumulative open time reaches `target` (searching from `after`)."""
        first = self.local_date(after) - dt.timedelta(days=1)
        last = first + dt.timedelta(days=31)
        origin, base, prefix = self._table(first, last)
        while base + prefix[-1] < target:
            before = prefix[-1]
            last += dt.timedelta(days=60)
            origin, base, prefix = self._table(first, last)
            if prefix[-1] == before and self._idle(first, last):
                raise CalendarError("the calendar has no open time in the next three years")
        index = bisect_left(prefix, target - base) - 1  # prefix[index] < target <= prefix[index + 1]
        remaining = target - base - prefix[index]
        for begin, end in self._day_us(origin + dt.timedelta(days=index)):
            if remaining <= end - begin:
                return _EPOCH + dt.timedelta(microseconds=begin + remaining)
            remaining -= end - begin
        raise AssertionError("prefix sums and day intervals disagree")  # pragma: no cover

    def _idle(self, first: dt.date, last: dt.date) -> bool:
        """Whether the last MAX_SCAN_DAYS days up to `last` had no open time at all."""
        if (last - first).days < MAX_SCAN_DAYS:
            return False
        origin, _base, prefix = self._table(first, last)
        end = (last - origin).days + 1
        return prefix[end] == prefix[end - MAX_SCAN_DAYS]


def _require_aware(*values: dt.datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("business time needs aware datetimes")


def iter_intervals(cal: WorkingCalendar, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open intervals (UTC) that end after `start`, in order, the first one clipped to `start`."""
    _require_aware(start)
    start = start.astimezone(UTC)
    day = cal.local_date(start) - dt.timedelta(days=1)
    idle_days = 0
    while True:
        intervals = cal.intervals_on(day)
        if intervals:
            idle_days = 0
        else:
            idle_days += 1
            if idle_days > MAX_SCAN_DAYS:
                raise CalendarError("the calendar has no open time in the next three years")
        for begin, end in intervals:
            if end <= start:
                continue
            yield max(begin, start), end
        day += dt.timedelta(days=1)


def business_time_between(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Exact open time between two instants (zero when b <= a)."""
    _require_aware(a, b)
    if b <= a:
        return dt.timedelta(0)
    return dt.timedelta(microseconds=cal.cumulative_us(b) - cal.cumulative_us(a))


def business_seconds_between(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> int:
    """Whole open seconds between two instants (zero when b <= a)."""
    return int(business_time_between(cal, a, b) // dt.timedelta(seconds=1))


def add_business_time(cal: WorkingCalendar, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    """The instant when `amount` of open time has passed since `start` (UTC)."""
    _require_aware(start)
    if amount < dt.timedelta(0):
        raise ValueError("cannot add negative business time")
    if amount == dt.timedelta(0):
        return start.astimezone(UTC)
    return cal.instant_at_cumulative_us(cal.cumulative_us(start) + amount // _US, after=start)


def add_business_seconds(cal: WorkingCalendar, start: dt.datetime, seconds: int | float) -> dt.datetime:
    """The instant when `seconds` of open time have passed since `start` (UTC)."""
    return add_business_time(cal, start, dt.timedelta(seconds=seconds))


VIETNAM_DEFAULT_SHIFTS: dict[int, list[tuple[str, str]]] = {
    **{day: [("08:00", "12:00"), ("13:30", "17:30")] for day in range(5)},
    5: [("08:00", "12:00")],
}


def default_calendar(*, closed_dates: Iterable[dt.date] = ()) -> WorkingCalendar:
    """Office hours used when a team has no calendar: Mon–Fri 08:00–12:00 and 13:30–17:30, Sat morning."""
    return WorkingCalendar.build(
        time_zone="Asia/Ho_Chi_Minh", shifts=VIETNAM_DEFAULT_SHIFTS, closed_dates=closed_dates, name="default"
    )
