"""The demo has ledgers that add up (earned, spent, expired), members across tiers, and vouchers with redemptions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from haumai.demo.seed import seed_demo
from haumai.loyalty.models import (
    Cashback,
    EntryKind,
    Membership,
    PointsAllocation,
    PointsEntry,
    Voucher,
    VoucherRedemption,
)
from haumai.loyalty.services.ledger import available_points
from haumai.sales.models import Order


@pytest.mark.django_db
def test_demo_creates_consistent_loyalty_data(settings: Any) -> None:
    result = seed_demo(customers=300, out=lambda line: None)
    delivered = Order.objects.filter(
        status__in=("delivered", "completed"), delivered_at__isnull=False, total__gte=10_000
    ).count()
    assert PointsEntry.objects.filter(kind=EntryKind.EARN).count() == delivered > 0
    assert PointsEntry.objects.filter(kind=EntryKind.SPEND).exists()
    assert PointsEntry.objects.filter(kind=EntryKind.EXPIRY).exists()
    assert Membership.objects.exclude(tier="member").exists() and Membership.objects.filter(tier="member").exists()
    for consumer in PointsEntry.objects.filter(points__lt=0).annotate(taken=Sum("allocations__points"))[:200]:
        assert consumer.taken == -consumer.points  # every spend and expiry is traced to its lots
    for lot in PointsEntry.objects.filter(points__gt=0).annotate(used=Sum("consumed_by__points"))[:500]:
        assert (lot.used or 0) <= lot.points
    member = PointsEntry.objects.filter(kind=EntryKind.SPEND).first()
    assert member is not None and available_points(member.customer_id) >= 0
    assert Voucher.objects.filter(campaign__code__startswith="SINHNHAT-", owner__isnull=False).exists()
    assert VoucherRedemption.objects.filter(campaign__code="CHAOHE").count() > 0
    assert PointsAllocation.objects.count() == result.counts["loyalty_pointsallocation"]
    assert Cashback.objects.filter(status="pending").exists() and Cashback.objects.filter(status="released").exists()
    released = Cashback.objects.filter(status="released").select_related("store_credit_entry")
    assert all(c.store_credit_entry.amount_vnd == c.amount_vnd for c in released[:200])
