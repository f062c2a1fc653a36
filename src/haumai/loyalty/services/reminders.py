"""Notices before something happens to a member: points about to expire, a tier the spend will not hold.

Both are scheduler sources (the worker): the event they record starts the built-in journeys
`loyalty-points-expiring` and `loyalty-tier-downgrade-notice` (loyalty migration 0003), which send the
`loyalty.*` templates with a link to the portal's rewards page (`links.rewards`, built at send time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from haumai.core import clock
from haumai.events.services import record_event
from haumai.loyalty import conf
from haumai.loyalty.models import Membership, PointsEntry
from haumai.loyalty.services.common import lock_customer
from haumai.loyalty.services.tiers import qualifying_spend, tier_names


def _local_day(moment: dt.datetime) -> str:
    return moment.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y")


def pending_expiry_reminders() -> QuerySet[PointsEntry]:
    """Lots not yet reminded about; the scheduler takes those whose `remind_at` (N days before expiry) passed."""
    days = conf.expiry_reminder_days()
    if days <= 0:
        return PointsEntry.objects.none()
    remind_at = ExpressionWrapper(F("expires_at") - dt.timedelta(days=days), output_field=DateTimeField())
    return PointsEntry.objects.filter(
        points__gt=0, expiry_handled=False, expiry_reminded=False, expires_at__isnull=False
    ).annotate(remind_at=remind_at)


def remind_expiring(lots: Sequence[PointsEntry]) -> None:
    """Claimed lots: one `loyalty.points_expiring` per member for all their points expiring within N days.

    Under the customer lock the lots are read again, so two workers holding lots of one member tell them once."""
    now = clock.now()
    horizon = now + dt.timedelta(days=conf.expiry_reminder_days())
    for customer_id in sorted({lot.customer_id for lot in lots}):
        customer = lock_customer(customer_id)
        due = (
            PointsEntry.objects.filter(
                customer_id=customer_id, points__gt=0, expiry_handled=False, expiry_reminded=False,
                expires_at__isnull=False, expires_at__lte=horizon,
            )
            .annotate(used=Coalesce(Sum("consumed_by__points"), 0))
            .order_by("expires_at", "id")
        )  # fmt: skip
        lots_left = [(lot, lot.points - lot.used) for lot in due]
        points = sum(left for _lot, left in lots_left if left > 0)
        if points > 0:
            first = next(lot for lot, left in lots_left if left > 0)
            assert first.expires_at is not None
            record_event(
                name="loyalty.points_expiring",
                customer=customer,
                subject=customer,
                payload={"points": points, "expires_on": _local_day(first.expires_at),
                         "expires_at": first.expires_at.isoformat()},
            )  # fmt: skip
        PointsEntry.objects.filter(pk__in=[lot.pk for lot, _left in lots_left]).update(expiry_reminded=True)


def pending_downgrade_notices() -> QuerySet[Membership]:
    """Memberships whose coming review was not noticed yet; the scheduler takes them N days before it."""
    days = conf.downgrade_notice_days()
    if days <= 0:
        return Membership.objects.none()
    notice_at = ExpressionWrapper(F("review_at") - dt.timedelta(days=days), output_field=DateTimeField())
    return (
        Membership.objects.exclude(tier=conf.TIERS[0].code)
        .filter(Q(notice_for_review_at__isnull=True) | ~Q(notice_for_review_at=F("review_at")))
        .annotate(notice_at=notice_at)
    )


def notice_downgrades(memberships: Sequence[Membership]) -> None:
    """Claimed memberships: tell the member whose spend, as it will count at the review (older orders out of
    the window by then), would not hold the tier what it needs; each review date is noticed once."""
    for claimed in memberships:
        customer = lock_customer(claimed.customer_id)
        membership = Membership.objects.get(pk=claimed.pk)
        if membership.notice_for_review_at == membership.review_at:
            continue
        current = conf.TIER_BY_CODE.get(membership.tier, conf.TIERS[0])
        spend = qualifying_spend(customer.pk, at=membership.review_at)
        reached = conf.tier_for_spend(spend)
        if conf.rank(reached.code) < conf.rank(current.code):
            record_event(
                name="loyalty.tier_downgrade_notice",
                customer=customer,
                subject=customer,
                payload={
                    "tier": current.code, "to": reached.code, "review_on": _local_day(membership.review_at),
                    "spend": spend, "spend_needed": current.min_spend_vnd - spend,
                    **{f"tier_{lang}": name for lang, name in tier_names(current.code).items()},
                    **{f"to_{lang}": name for lang, name in tier_names(reached.code).items()},
                },
            )  # fmt: skip
        membership.notice_for_review_at = membership.review_at
        membership.save(update_fields=["notice_for_review_at"])
