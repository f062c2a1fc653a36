"""Customer merge: the merged customer's points, vouchers, redemptions and cashback follow them; the better
tier stays."""

from __future__ import annotations

from typing import Any

from haumai.loyalty import conf
from haumai.loyalty.models import Cashback, Membership, PointsEntry, Voucher, VoucherRedemption


def move_customer_rows(*, source: Any, target: Any) -> int:
    """Move ledger entries, vouchers, redemptions and cashback of `source` to `target`; returns the entries moved."""
    moved = PointsEntry.objects.filter(customer=source).update(customer=target)
    Voucher.objects.filter(owner=source).update(owner=target)
    VoucherRedemption.objects.filter(customer=source).update(customer=target)
    Cashback.objects.filter(customer=source).update(customer=target)
    old = Membership.objects.filter(customer=source).first()
    if old is not None:
        kept = Membership.objects.filter(customer=target).first()
        if kept is None:
            old.customer = target
            old.save(update_fields=["customer"])
        else:
            if conf.rank(old.tier) > conf.rank(kept.tier):
                kept.tier, kept.tier_since, kept.review_at = old.tier, old.tier_since, old.review_at
                kept.save(update_fields=["tier", "tier_since", "review_at"])
            old.delete()
    return moved
