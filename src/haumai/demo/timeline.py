"""When things happen: a demand curve over the demo window (growth, weekends, Tết, mega-sale days).

`Timeline.at(u)` maps a quantile u in [0, 1) to an instant, monotonically, so customers generated
in index order are created in time order (ids, codes and created_at all agree), and a repeat order
drawn from [u, 1) always comes after the customer's first purchase.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import accumulate

LOCAL_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving
DAYS_PER_MONTH = 30.44

# Lunar New Year (Tết Nguyên Đán) dates: shopping peaks in the weeks before, stops during.
TET = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6), dt.date(2028, 1, 26)]
# Share of a day's purchases per local hour (people shop at lunch and in the evening).
HOUR_WEIGHTS = [
    0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 2.5, 4.0, 5.0, 5.5,
    5.5, 4.5, 4.0, 4.2, 4.6, 5.0, 5.5, 7.0, 8.5, 8.5, 6.0, 2.0,
]
_HOUR_CUMULATIVE = list(accumulate(HOUR_WEIGHTS))


def day_weight(day: dt.date, progress: float) -> float:
    """Relative demand on one local day; `progress` 0..1 across the window models growth."""
    weight = 0.65 + 0.35 * progress
    if day.weekday() >= 5:
        weight *= 1.2
    for tet in TET:
        days_before = (tet - day).days
        if 0 < days_before <= 21:
            weight *= 1.6
        elif -5 <= days_before <= 0:
            weight *= 0.35
    if day.month == day.day and day.month >= 6:  # 6/6, 7/7 ... 11/11, 12/12 marketplace sales
        weight *= 2.8 if day.month >= 9 else 1.8
    if day.month == 11 and day.weekday() == 4 and 22 <= day.day <= 28:  # Black Friday
        weight *= 2.0
    return weight


class Timeline:
    """The demo window [now - months, now] with its demand curve."""

    def __init__(self, now: dt.datetime, months: int) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.now = now.astimezone(dt.UTC)
        local_today = (self.now + LOCAL_OFFSET).date()
        self.first_day = local_today - dt.timedelta(days=round(months * DAYS_PER_MONTH))
        days = (local_today - self.first_day).days + 1
        weights = [day_weight(self.first_day + dt.timedelta(days=d), d / max(days - 1, 1)) for d in range(days)]
        # Today is only partly over.
        local_now = (self.now + LOCAL_OFFSET).replace(tzinfo=None)
        elapsed_hours = (local_now - dt.datetime.combine(local_today, dt.time())).total_seconds() / 3600
        whole = min(int(elapsed_hours), 23)
        self.today_limit = (_HOUR_CUMULATIVE[whole - 1] if whole else 0.0) + (
            elapsed_hours - whole
        ) * HOUR_WEIGHTS[whole]
        weights[-1] *= max(self.today_limit / _HOUR_CUMULATIVE[-1], 1e-6)
        self.day_weights = weights
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    @property
    def start(self) -> dt.datetime:
        """The first instant of the window (UTC)."""
        return dt.datetime.combine(self.first_day, dt.time(), dt.UTC) - LOCAL_OFFSET

    def at(self, quantile: float) -> dt.datetime:
        """The instant (aware UTC) at which a share `quantile` of all demand has happened."""
        position = min(max(quantile, 0.0), 0.999_999_999) * self.total
        day_index = bisect_right(self.cumulative, position)
        before = self.cumulative[day_index - 1] if day_index else 0.0
        within_day = (position - before) / self.day_weights[day_index]
        last_day = day_index == len(self.day_weights) - 1
        hour_position = within_day * (self.today_limit if last_day else _HOUR_CUMULATIVE[-1])
        hour = min(bisect_right(_HOUR_CUMULATIVE, hour_position), 23)
        hour_before = _HOUR_CUMULATIVE[hour - 1] if hour else 0.0
        within_hour = (hour_position - hour_before) / HOUR_WEIGHTS[hour]
        seconds = hour * 3600 + within_hour * 3600
        local = dt.datetime.combine(self.first_day + dt.timedelta(days=day_index), dt.time())
        moment = (local + dt.timedelta(seconds=seconds) - LOCAL_OFFSET).replace(tzinfo=dt.UTC)
        return min(moment, self.now)


def local_date(moment: dt.datetime) -> dt.date:
    """The Vietnamese calendar date of an aware UTC instant."""
    return (moment + LOCAL_OFFSET).date()
