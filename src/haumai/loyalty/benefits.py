"""Tier benefits other apps apply: a longer return window and a free return pickup (the returns policy
engine asks `return_benefit`), and the priority a member's new support ticket starts with (support asks
`support_priority`). Registered in LoyaltyConfig.ready; the tier is the stored membership, read per call."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.loyalty import conf
from haumai.loyalty.models import Membership
from haumai.returns.policy import Benefit

KEY_PREFIX = "loyalty:"


def tier_of(customer: Any) -> conf.Tier:
    """The customer's stored tier (Member without a membership)."""
    code = Membership.objects.filter(customer_id=customer.pk).values_list("tier", flat=True).first()
    return conf.TIER_BY_CODE.get(code or "", conf.TIERS[0])


def return_benefit(customer: Any) -> Benefit | None:
    """The member's tier benefit on returns (extra window days, free pickup), or None for the base tier."""
    tier = tier_of(customer)
    if not tier.return_extra_days and not tier.free_return_pickup:
        return None
    return Benefit(
        key=f"{KEY_PREFIX}{tier.code}", extra_days=tier.return_extra_days, free_pickup=tier.free_return_pickup
    )


def describe(key: str) -> str | None:
    """A benefit key of ours in the reader's words ("Gold member")."""
    if not key.startswith(KEY_PREFIX):
        return None
    tier = conf.TIER_BY_CODE.get(key.removeprefix(KEY_PREFIX))
    return _("%(tier)s member") % {"tier": tier.label} if tier else None


def support_priority(customer: Any) -> str | None:
    """The priority a new ticket of this member starts with (None: the usual one)."""
    return tier_of(customer).support_priority or None
