"""Reads of loyalty: balances (sums of the ledger), history, tier progress, vouchers, campaigns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.loyalty import conf
from haumai.loyalty.models import (
    Cashback,
    CashbackChange,
    CashbackRule,
    CashbackStatus,
    EntryKind,
    Membership,
    PointsEntry,
    Voucher,
    VoucherCampaign,
    VoucherRedemption,
)
from haumai.loyalty.services.ledger import open_lots, outstanding_debts

EXPIRING_SOON_DAYS = 30


@dataclass(frozen=True)
class Standing:
    """What a member has: balance, what can be spent, what expires soon, tier and the way to the next one."""

    balance: int
    available: int
    expiring_soon: int
    tier: conf.Tier
    spend_vnd: int
    next_tier: conf.Tier | None
    to_next_vnd: int
    progress_percent: int
    review_at: Any


def balance(customer_id: int) -> int:
    """The customer's points: the sum of their ledger."""
    total = PointsEntry.objects.filter(customer_id=customer_id).aggregate(total=Sum("points"))["total"]
    return int(total or 0)


def standing(customer: Any) -> Standing:
    """The member's standing in three queries (four when the member has a debt)."""
    now = clock.now()
    membership = Membership.objects.filter(customer_id=customer.pk).first()
    tier = conf.TIER_BY_CODE.get(membership.tier, conf.TIERS[0]) if membership else conf.TIERS[0]
    since = now - conf.qualification_window()
    sums = PointsEntry.objects.filter(customer_id=customer.pk).aggregate(
        balance=Sum("points"),
        spend=Sum("spend_vnd", filter=Q(created_at__gte=since)),
        debts=Count("id", filter=Q(kind=EntryKind.DEBT)),
    )
    lots = open_lots(customer.pk)
    owed = sum(left for _debt, left in outstanding_debts(customer.pk)) if sums["debts"] else 0
    soon = now + dt.timedelta(days=EXPIRING_SOON_DAYS)
    expiring = sum(left for lot, left in lots if lot.expires_at is not None and lot.expires_at <= soon)
    spend = max(0, int(sums["spend"] or 0))
    upcoming = conf.next_tier(tier)
    to_next = max(0, upcoming.min_spend_vnd - spend) if upcoming else 0
    if upcoming:
        span = upcoming.min_spend_vnd - tier.min_spend_vnd
        progress = max(0, min(100, (spend - tier.min_spend_vnd) * 100 // span)) if span > 0 else 100
    else:
        progress = 100
    return Standing(
        balance=int(sums["balance"] or 0),
        available=max(0, sum(left for _lot, left in lots) - owed),
        expiring_soon=expiring,
        tier=tier,
        spend_vnd=spend,
        next_tier=upcoming,
        to_next_vnd=to_next,
        progress_percent=progress,
        review_at=membership.review_at if membership else None,
    )


def history(customer_id: int) -> QuerySet[PointsEntry]:
    """The customer's ledger, newest first (slice it: it is paginated by the caller)."""
    return (
        PointsEntry.objects.filter(customer_id=customer_id)
        .select_related("order", "actor")
        .order_by("-created_at", "-id")
    )


def customer_vouchers(customer_id: int) -> QuerySet[Voucher]:
    """Codes owned by the customer, newest first, with their campaign and how often each was used."""
    return (
        Voucher.objects.filter(owner_id=customer_id)
        .select_related("campaign")
        .annotate(used=Count("redemptions"))
        .order_by("-issued_at", "-id")
    )


def usable(voucher: Any) -> bool:
    """Whether an owned code can still be used (in its window and not used up)."""
    now = clock.now()
    campaign = voucher.campaign
    uses_left = voucher.max_uses is None or getattr(voucher, "used", 0) < voucher.max_uses
    return campaign.starts_at <= now < campaign.ends_at and uses_left


def customer_redemptions(customer_id: int) -> QuerySet[VoucherRedemption]:
    return (
        VoucherRedemption.objects.filter(customer_id=customer_id)
        .select_related("voucher", "campaign")
        .order_by("-created_at", "-id")
    )


def campaigns() -> QuerySet[VoucherCampaign]:
    """Campaigns newest first, with codes issued and redemptions counted."""
    return VoucherCampaign.objects.annotate(
        codes=Count("vouchers", distinct=True), redeemed=Count("redemptions", distinct=True)
    ).order_by("-created_at", "-id")


def campaign_by_code(code: str) -> VoucherCampaign:
    campaign = VoucherCampaign.objects.filter(code=code).first()
    if campaign is None:
        raise NotFound("No such campaign")
    return campaign


def open_campaigns() -> QuerySet[VoucherCampaign]:
    """Campaigns running now (issue goodwill codes or buy with points)."""
    now = clock.now()
    return VoucherCampaign.objects.filter(starts_at__lte=now, ends_at__gt=now, closed_at__isnull=True).order_by(
        "name", "id"
    )


def campaigns_for_points() -> QuerySet[VoucherCampaign]:
    return open_campaigns().filter(points_price__gt=0, code_kind="unique")


def voucher_by_code(code: str) -> Voucher | None:
    return Voucher.objects.select_related("campaign", "owner").filter(code=code.strip().upper()).first()


def pending_expiry() -> QuerySet[PointsEntry]:
    """Lots that may still hold points; the scheduler takes those past `expires_at`."""
    return PointsEntry.objects.filter(points__gt=0, expiry_handled=False, expires_at__isnull=False)


def pending_reviews() -> QuerySet[Membership]:
    """Memberships; the scheduler takes those past `review_at`."""
    return Membership.objects.all()


def redemptions_of(campaign: VoucherCampaign) -> QuerySet[VoucherRedemption]:
    return campaign.redemptions.select_related("voucher", "customer").order_by("-created_at", "-id")


def campaign_codes(campaign: VoucherCampaign) -> QuerySet[Voucher]:
    """A campaign's codes with their owner and how often each was used."""
    return campaign.vouchers.select_related("owner").annotate(used=Count("redemptions")).order_by("-issued_at", "-id")


def earned_for(order: Any) -> PointsEntry | None:
    """The order's earn entry, if it earned."""
    return PointsEntry.objects.filter(order=order, kind="earn").first()


@dataclass(frozen=True)
class CashbackSummary:
    """A member's cashback: what is pending, when the next part is released, what was released."""

    pending_vnd: int
    next_release_at: Any
    released_vnd: int
    not_recovered_vnd: int


def cashback_summary(customer_id: int) -> CashbackSummary:
    """Pending and released cashback of a customer, in two queries."""
    sums = Cashback.objects.filter(customer_id=customer_id).aggregate(
        pending=Sum("amount_vnd", filter=Q(status=CashbackStatus.PENDING)),
        next_release=Min("release_at", filter=Q(status=CashbackStatus.PENDING)),
        released=Sum("amount_vnd", filter=Q(status=CashbackStatus.RELEASED)),
    )
    lost = CashbackChange.objects.filter(cashback__customer_id=customer_id).aggregate(t=Sum("not_recovered_vnd"))
    return CashbackSummary(
        pending_vnd=int(sums["pending"] or 0),
        next_release_at=sums["next_release"],
        released_vnd=int(sums["released"] or 0),
        not_recovered_vnd=int(lost["t"] or 0),
    )


def customer_cashbacks(customer_id: int) -> QuerySet[Cashback]:
    """A customer's cashback, newest first, with order and rule (slice it)."""
    return (
        Cashback.objects.filter(customer_id=customer_id)
        .select_related("order", "rule")
        .order_by("-created_at", "-id")
    )


def cashback_rules() -> QuerySet[CashbackRule]:
    """Cashback rules, newest first, with their scope and how many orders earned under each."""
    return (
        CashbackRule.objects.select_related("category", "product")
        .annotate(orders=Count("cashbacks"))
        .order_by("-created_at", "-id")
    )


def cashback_rule(rule_id: int) -> CashbackRule:
    rule = CashbackRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("No such cashback rule")
    return rule


def pending_cashback() -> QuerySet[Cashback]:
    """Cashback still held; the scheduler takes those past `release_at`."""
    return Cashback.objects.filter(status=CashbackStatus.PENDING)
