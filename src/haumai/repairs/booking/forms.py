"""Parsing of booking input shared by the console and the portal (a bad value becomes a field error)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.repairs.booking.common import refuse


def parse_month(text: str) -> tuple[int, int]:
    """'YYYY-MM' -> (year, month); the current month when empty or invalid (a browsing parameter)."""
    today = clock.today()
    parts = (text or "").strip()[:7].split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        year, month = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    return today.year, today.month


def shift_month(year: int, month: int, delta: int) -> str:
    """The 'YYYY-MM' of a month `delta` months away."""
    index = year * 12 + month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_moment(text: str, field: str = "starts_at") -> dt.datetime:
    """An ISO 8601 moment with its offset (as the slot buttons send it), or a field error."""
    raw = (text or "").strip()[:40]
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise refuse(field, _("Choose a time slot"), "required" if not raw else "invalid") from None
    if value.tzinfo is None:
        raise refuse(field, _("Give the time with its time zone"))
    return value.astimezone(dt.UTC)


def parse_local(day_text: str, time_text: str, field: str) -> dt.datetime:
    """A local (Vietnam) date 'YYYY-MM-DD' and time 'HH:MM' as UTC, or a field error."""
    try:
        day = dt.date.fromisoformat((day_text or "").strip()[:10])
        moment = dt.time.fromisoformat((time_text or "").strip()[:5])
    except ValueError:
        raise refuse(field, _("Enter a date and a time"), "invalid") from None
    return dt.datetime.combine(day, moment, tzinfo=clock.LOCAL_TZ).astimezone(dt.UTC)
