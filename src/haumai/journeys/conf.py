"""Journey settings, read at call time from Django settings or the environment."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    """Quiet hours in Asia/Ho_Chi_Minh as (start, end), e.g. 21:00-08:00; None when switched off ("off")."""
    text = _setting("HAUMAI_JOURNEYS_QUIET_HOURS", "21:00-08:00").strip()
    if not text or text.lower() in {"off", "none", "0"}:
        return None
    start, _, end = text.partition("-")
    try:
        return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"HAUMAI_JOURNEYS_QUIET_HOURS={text!r}: expected HH:MM-HH:MM (e.g. 21:00-08:00) or 'off'"
        ) from exc


def _int(name: str, default: str) -> int:
    text = _setting(name, default).strip()
    if not text.isdigit():
        raise ImproperlyConfigured(f"{name}={text!r}: expected a whole number >= 0")
    return int(text)


def marketing_cap() -> int:
    """At most this many marketing sends per customer within the cap window (0 = no cap)."""
    return _int("HAUMAI_JOURNEYS_MARKETING_CAP", "3")


def marketing_cap_days() -> int:
    """The window of the marketing frequency cap, in days."""
    return _int("HAUMAI_JOURNEYS_MARKETING_CAP_DAYS", "7")


def enrollment_hour() -> int:
    """Local hour at which date rules (birthday, warranty, maintenance) enroll the day's customers."""
    return min(_int("HAUMAI_JOURNEYS_ENROLLMENT_HOUR", "0"), 23)

