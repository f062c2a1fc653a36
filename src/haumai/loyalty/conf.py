"""Loyalty settings: tiers, expiry, the debt rule (each overridable in Django settings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tier:
    code: str
    label: Promise | str
    min_spend_vnd: int
    multiplier_percent: int
    # Benefits: extra days on the return window (change of mind), the carrier pickup fee of a return
    # waived, and the priority a new support ticket of the member starts with ("" = the usual one).
    return_extra_days: int = 0
    free_return_pickup: bool = False
    support_priority: str = ""


# Spend over the qualification window (delivered orders, less what was returned) decides the tier.
TIERS: tuple[Tier, ...] = (
    Tier("member", _("Member"), 0, 100),
    Tier("silver", _("Silver"), 5_000_000, 110, return_extra_days=7),
    Tier("gold", _("Gold"), 20_000_000, 125, return_extra_days=15, free_return_pickup=True, support_priority="high"),
    Tier(
        "diamond",
        _("Diamond"),
        50_000_000,
        150,
        return_extra_days=30,
        free_return_pickup=True,
        support_priority="high",
    ),
)
TIER_BY_CODE = {tier.code: tier for tier in TIERS}


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def expiry_period() -> dt.timedelta:
    """Each lot of points expires this long after it was earned (a rolling period)."""
    return dt.timedelta(days=int(_setting("HAUMAI_LOYALTY_EXPIRY_DAYS", 365)))


def qualification_window() -> dt.timedelta:
    """Spend counted for the tier: the last N days."""
    return dt.timedelta(days=int(_setting("HAUMAI_LOYALTY_QUALIFICATION_DAYS", 365)))


def review_period() -> dt.timedelta:
    """A tier holds until its review date, this long after it was reached or last reviewed."""
    return dt.timedelta(days=int(_setting("HAUMAI_LOYALTY_REVIEW_DAYS", 365)))


def debt_allowed() -> bool:
    """Whether a clawback the balance cannot cover becomes a debt entry (else it is written off, recorded)."""
    return bool(_setting("HAUMAI_LOYALTY_DEBT_ALLOWED", False))


def expiry_reminder_days() -> int:
    """Days before points expire that the member is reminded (0 = no reminder)."""
    return int(_setting("HAUMAI_LOYALTY_EXPIRY_REMINDER_DAYS", 30))


def downgrade_notice_days() -> int:
    """Days before a review date that a member whose spend would not hold the tier is told."""
    return int(_setting("HAUMAI_LOYALTY_DOWNGRADE_NOTICE_DAYS", 30))


def default_vnd_per_point() -> int:
    """VND spent per point when no earn rule applies."""
    return int(_setting("HAUMAI_LOYALTY_VND_PER_POINT", 10_000))


def tier_for_spend(spend_vnd: int) -> Tier:
    """The highest tier whose threshold this spend reaches."""
    reached = TIERS[0]
    for tier in TIERS:
        if spend_vnd >= tier.min_spend_vnd:
            reached = tier
    return reached


def next_tier(tier: Tier) -> Tier | None:
    """The tier above, or None at the top."""
    index = TIERS.index(tier)
    return TIERS[index + 1] if index + 1 < len(TIERS) else None


def rank(code: str) -> int:
    return next((i for i, tier in enumerate(TIERS) if tier.code == code), 0)
