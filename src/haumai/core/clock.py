"""One clock for the whole product, so tests move time instead of sleeping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Current time as an aware UTC datetime (or the frozen time in tests)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """Current time in Asia/Ho_Chi_Minh."""
    return now().astimezone(LOCAL_TZ)


def today() -> dt.date:
    """Today's date in Vietnam."""
    return local_now().date()


def freeze(at: dt.datetime) -> None:
    """Stop the clock at a given aware datetime."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at.astimezone(dt.UTC)


def advance(delta: dt.timedelta) -> dt.datetime:
    """Move a frozen clock forward (freezing it at the current time first)."""
    freeze(now() + delta)
    return now()


def unfreeze() -> None:
    """Let the clock run again."""
    global _frozen
    _frozen = None


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Freeze the clock for the duration of a block."""
    previous = _frozen
    freeze(at)
    try:
        yield
    finally:
        globals()["_frozen"] = previous
