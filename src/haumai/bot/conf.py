"""Bot settings (environment variables or Django settings of the same name)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

CHAT_CHANNELS = ("web_chat", "zalo", "facebook")
_silenced = 0


def _get(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def enabled() -> bool:
    """The bot answers at all (HAUMAI_BOT_ENABLED, default on; never inside `silenced()`)."""
    if _silenced:
        return False
    return _get("HAUMAI_BOT_ENABLED", "1").strip().lower() not in ("0", "false", "no", "off", "")


@contextmanager
def silenced() -> Iterator[None]:
    """The bot's listener answers nothing inside this block (the demo generator stores history, then plays the
    bot's own demo conversations turn by turn, so a run is the same in tests and for real)."""
    global _silenced
    _silenced += 1
    try:
        yield
    finally:
        _silenced -= 1


def channels() -> tuple[str, ...]:
    """Channels the bot answers (HAUMAI_BOT_CHANNELS, comma-separated; default the chat channels).

    E-mail and phone are never answered by the bot, even when listed: a call log is not a conversation and a
    mailed question deserves a person's answer."""
    raw = _get("HAUMAI_BOT_CHANNELS", ",".join(CHAT_CHANNELS))
    return tuple(c for c in (part.strip() for part in raw.split(",")) if c in CHAT_CHANNELS)


def name() -> str:
    """How the bot signs its replies (HAUMAI_BOT_NAME)."""
    return _get("HAUMAI_BOT_NAME", "Trợ lý Haumai")[:60]


def max_verification_attempts() -> int:
    """Wrong phone + order code answers before the bot hands over (HAUMAI_BOT_MAX_VERIFY, default 3)."""
    return max(1, int(_get("HAUMAI_BOT_MAX_VERIFY", "3")))


def long_message_chars() -> int:
    """A message longer than this goes to a person (HAUMAI_BOT_LONG_MESSAGE_CHARS, default 2000)."""
    return max(200, int(_get("HAUMAI_BOT_LONG_MESSAGE_CHARS", "2000")))


def solve_after_hours() -> float:
    """Hours without a reply after the bot answered before the ticket is solved (HAUMAI_BOT_SOLVE_AFTER_HOURS,
    default 24; 0 turns automatic solving off, also after a thank-you)."""
    try:
        return max(0.0, float(_get("HAUMAI_BOT_SOLVE_AFTER_HOURS", "24")))
    except ValueError:
        return 24.0
