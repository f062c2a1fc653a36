"""Live state of the website chat, kept in the cache (Redis when REDIS_URL is set, else this process):
who is typing, rate-limit counters and whether someone is on shift.

Messages themselves live in the database; this state is short-lived and may be lost without harm (a
typing dot disappears, a counter restarts). A typing change also sends a live notice (`live_bus`).
Without Redis and with several web processes each process has its own copy: typing shows only when both
sides' requests reach the same process, and limits count per process.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.cache import cache

from haumai.core import clock
from haumai.support import live_bus

TYPING_SECONDS = 6
AVAILABILITY_SECONDS = 30


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


def messages_per_minute() -> int:
    """How many chat messages one visitor may post per minute."""
    return int(_setting("HAUMAI_WEB_CHAT_MESSAGES_PER_MINUTE", "12"))


def posts_per_minute_per_address() -> int:
    """How many chat posts one network address may make per minute (all its visitors together)."""
    return int(_setting("HAUMAI_WEB_CHAT_POSTS_PER_IP_PER_MINUTE", "40"))


def hours_mode() -> str:
    """ "calendar" (the default business calendar decides who is on shift) or "always" (24/7 chat)."""
    mode = _setting("HAUMAI_WEB_CHAT_HOURS", "calendar")
    return mode if mode in ("calendar", "always", "never") else "calendar"


def _typing_key(ticket_id: int, side: str) -> str:
    return f"support:web_chat:typing:{side}:{ticket_id}"


def set_typing(*, ticket_id: int, side: str, typing: bool, customer_id: int | None = None) -> None:
    """Record that the visitor or the agent side is (or stopped) typing on this ticket.

    A change wakes the other side's open stream: the agent's ticket page hears the visitor, the customer's
    widget (`customer_id`) hears the agent. A repeated "still typing" only refreshes the cache entry."""
    key = _typing_key(ticket_id, side)
    was = bool(cache.get(key))
    if typing:
        cache.set(key, 1, TYPING_SECONDS)
    else:
        cache.delete(key)
    if was != typing:
        topic = f"ticket:{ticket_id}" if side == "visitor" else (f"customer:{customer_id}" if customer_id else "")
        live_bus.publish([topic], "typing")


def is_typing(*, ticket_id: int, side: str) -> bool:
    """Whether that side typed within the last few seconds."""
    return bool(cache.get(_typing_key(ticket_id, side)))


def take_slot(key: str, limit: int, *, seconds: int = 60) -> bool:
    """Count one use in the current window; False when the window is already full (fixed window, atomic)."""
    window = int(clock.now().timestamp()) // seconds
    full_key = f"support:web_chat:rate:{key}:{window}"
    cache.add(full_key, 0, seconds + 5)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, seconds + 5)
        count = 1
    return count <= limit


def on_shift(at: dt.datetime | None = None) -> bool:
    """Whether the chat is staffed now: the default business calendar has a shift running (or 24/7 mode)."""
    mode = hours_mode()
    if mode != "calendar":
        return mode == "always"
    moment = at or clock.now()
    key = f"support:web_chat:on_shift:{int(moment.timestamp()) // AVAILABILITY_SECONDS}"
    cached = cache.get(key)
    if cached is not None:
        return bool(cached)
    from haumai.support.sla.selectors import default_working_calendar

    calendar = default_working_calendar()
    open_now = any(start <= moment < end for start, end in calendar.intervals_on(calendar.local_date(moment)))
    cache.set(key, int(open_now), AVAILABILITY_SECONDS)
    return open_now
