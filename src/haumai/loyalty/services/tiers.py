"""Tiers by spend over the qualification window: upgraded at once, downgraded only at the review date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Sum
from django.utils import translation

from haumai.core import clock
from haumai.events.services import record_event
from haumai.loyalty import conf
from haumai.loyalty.models import Membership, PointsEntry
from haumai.loyalty.services.common import lock_customer


def qualifying_spend(customer_id: int, *, at: dt.datetime | None = None) -> int:
    """Spend of the qualification window ending now (or at `at`, as it will stand then without new orders)."""
    since = (at or clock.now()) - conf.qualification_window()
    total = PointsEntry.objects.filter(customer_id=customer_id, created_at__gte=since).aggregate(s=Sum("spend_vnd"))
    return max(0, int(total["s"] or 0))


def current_tier(customer: Any) -> conf.Tier:
    """The customer's tier (Member when they have no membership yet)."""
    membership = Membership.objects.filter(customer_id=customer.pk).first()
    return conf.TIER_BY_CODE.get(membership.tier, conf.TIERS[0]) if membership else conf.TIERS[0]


def upgrade_if_reached(*, customer: Any, actor: Any) -> Membership:
    """Move up at once when the spend reaches a higher tier (call with the customer locked)."""
    now = clock.now()
    reached = conf.tier_for_spend(qualifying_spend(customer.pk))
    membership = Membership.objects.filter(customer_id=customer.pk).first()
    if membership is None:
        membership = Membership.objects.create(
            customer=customer, tier=reached.code, tier_since=now, review_at=now + conf.review_period()
        )
        if reached.code != conf.TIERS[0].code:
            _record(customer, "loyalty.tier_upgraded", conf.TIERS[0].code, reached.code, actor)
        return membership
    if conf.rank(reached.code) > conf.rank(membership.tier):
        previous = membership.tier
        membership.tier, membership.tier_since, membership.review_at = reached.code, now, now + conf.review_period()
        membership.save(update_fields=["tier", "tier_since", "review_at"])
        _record(customer, "loyalty.tier_upgraded", previous, reached.code, actor)
    return membership


def review_memberships(memberships: Sequence[Membership]) -> None:
    """Scheduler: at the review date the tier follows the window's spend (down too); the next review is set."""
    now = clock.now()
    for membership in memberships:
        customer = lock_customer(membership.customer_id)
        reached = conf.tier_for_spend(qualifying_spend(customer.pk))
        previous = membership.tier
        membership.review_at = now + conf.review_period()
        if reached.code != previous:
            membership.tier, membership.tier_since = reached.code, now
            name = (
                "loyalty.tier_downgraded" if conf.rank(reached.code) < conf.rank(previous) else "loyalty.tier_upgraded"
            )
            _record(customer, name, previous, reached.code, None)
        membership.save(update_fields=["tier", "tier_since", "review_at"])


def tier_names(code: str) -> dict[str, str]:
    """The tier's name in each language, for messages written per language (`payload.tier_vi`, `tier_en`)."""
    tier = conf.TIER_BY_CODE.get(code, conf.TIERS[0])
    names = {}
    for language in ("vi", "en"):
        with translation.override(language):
            names[language] = str(tier.label)
    return names


def _record(customer: Any, name: str, previous: str, tier: str, actor: Any) -> None:
    names, before = tier_names(tier), tier_names(previous)
    record_event(
        name=name, customer=customer, subject=customer, actor=actor,
        payload={"from": previous, "tier": tier, "tier_vi": names["vi"], "tier_en": names["en"],
                 "from_vi": before["vi"], "from_en": before["en"]},
    )  # fmt: skip
