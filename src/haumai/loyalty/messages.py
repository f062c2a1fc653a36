"""What loyalty adds to the messages about its events: the link to the portal's rewards page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from haumai.messaging.context import absolute

REWARDS_EVENTS = (
    "loyalty.points_expiring",
    "loyalty.tier_upgraded",
    "loyalty.tier_downgrade_notice",
    "loyalty.tier_downgraded",
)


def rewards_links(event: Any) -> dict[str, str]:
    """`links.rewards`: the customer's points, tier and vouchers (they sign in to the portal to see them)."""
    return {"rewards": absolute(reverse("loyalty_portal:mine"))}
