"""Day boundaries of the KPIs: local days in Asia/Ho_Chi_Minh (UTC+7, no daylight saving)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from haumai.core import clock

MAX_RANGE_DAYS = 3 * 366  # a dashboard range; longer ones are refused with a message


def start_of(day: dt.date) -> dt.datetime:
    """00:00 of a local day, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)


def bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day."""
    return start_of(day), start_of(day + dt.timedelta(days=1))


def local_day(moment: dt.datetime) -> dt.date:
    """The local day a moment falls on."""
    return moment.astimezone(clock.LOCAL_TZ).date()


def each_day(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from first to last, inclusive."""
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)
