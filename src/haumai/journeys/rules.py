"""Sending rules: consent per channel and purpose, quiet hours, frequency cap, channel choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haumai.core.clock import LOCAL_TZ

CONSENT_CHANNEL = {"email": "email", "sms": "sms", "zalo": "zalo", "zns": "zalo"}
DEFAULT_CHANNEL_ORDER = ["zalo", "zns", "sms", "email"]
KNOWN_CHANNELS = ["email", "zalo", "zns", "sms"]


def restriction_purpose(journey_purpose: str) -> str:
    """The restriction purpose (privacy.RestrictionPurpose) that stops a journey of this purpose."""
    return "marketing" if journey_purpose == "marketing" else "automated_care"


@dataclass(frozen=True)
class ConsentState:
    """The latest consent rows of one customer: {(purpose, consent_channel): granted}."""

    rows: dict[tuple[str, str], bool]

    def allows(self, *, purpose: str, channel: str) -> bool:
        """Marketing needs an explicit grant; service goes unless service consent was withdrawn."""
        consent_channel = CONSENT_CHANNEL[channel]
        granted = self.rows.get((purpose, consent_channel))
        if purpose == "marketing":
            return granted is True
        return granted is not False


@dataclass(frozen=True)
class ChannelChoice:
    """Channels to try in order (reachable and consented), or why there is none."""

    channels: list[str]
    reason: str = ""
    message: str = ""


def channel_candidates(preferred: str, channel_order: Sequence[str]) -> list[str]:
    """The preferred channel first, then the journey's fallback order, without repeats."""
    order = [preferred] if preferred else []
    order += list(channel_order) or DEFAULT_CHANNEL_ORDER
    seen: list[str] = []
    for channel in order:
        if channel in KNOWN_CHANNELS and channel not in seen:
            seen.append(channel)
    return seen


def choose_channel(
    *, preferred: str, channel_order: Sequence[str], reachable: Iterable[str], consent: ConsentState, purpose: str
) -> ChannelChoice:
    """Candidates that are reachable and consented, in order, or why none is."""
    reachable_set = set(reachable)
    candidates = channel_candidates(preferred, channel_order)
    reachable_candidates = [c for c in candidates if c in reachable_set]
    if not reachable_candidates:
        return ChannelChoice(
            [],
            "no_reachable_channel",
            _("No reachable channel among %(channels)s") % {"channels": ", ".join(candidates)},
        )
    allowed = [channel for channel in reachable_candidates if consent.allows(purpose=purpose, channel=channel)]
    if allowed:
        return ChannelChoice(allowed)
    return ChannelChoice(
        [],
        "no_consent",
        _("No %(purpose)s consent on %(channels)s") % {"purpose": purpose, "channels": ", ".join(reachable_candidates)},
    )


def quiet_until(moment: dt.datetime, hours: tuple[dt.time, dt.time] | None) -> dt.datetime | None:
    """When `moment` falls in quiet hours (Asia/Ho_Chi_Minh), the end of those quiet hours (UTC); else None."""
    if hours is None:
        return None
    start, end = hours
    local = moment.astimezone(LOCAL_TZ)
    now_time = local.time()
    if start == end:
        return None
    inside = (now_time >= start or now_time < end) if start > end else (start <= now_time < end)
    if not inside:
        return None
    end_local = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if end_local <= local:
        end_local += dt.timedelta(days=1)
    return end_local.astimezone(dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)
