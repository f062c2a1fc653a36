"""Expiry of points lots (rolling period from each earn), run by the worker's scheduler."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Sum
from django.db.models.functions import Coalesce

from haumai.core import clock
from haumai.events.services import record_event
from haumai.loyalty.models import EntryKind, PointsEntry
from haumai.loyalty.services.common import lock_customer
from haumai.loyalty.services.ledger import consume


def expire_lots(lots: Sequence[PointsEntry]) -> None:
    """Claimed lots past expiry: what is left of them expires (one entry per customer); each leaves the due set."""
    by_customer: dict[int, list[int]] = defaultdict(list)
    for lot in lots:
        by_customer[lot.customer_id].append(lot.pk)
    for customer_id, lot_ids in sorted(by_customer.items()):
        customer = lock_customer(customer_id)
        fresh = (
            PointsEntry.objects.filter(pk__in=lot_ids)
            .annotate(used=Coalesce(Sum("consumed_by__points"), 0))
            .order_by("expires_at", "id")
        )
        left = [(lot, lot.points - lot.used) for lot in fresh if lot.points > lot.used]
        total = sum(points for _lot, points in left)
        if total > 0:
            entry = PointsEntry.objects.create(
                customer=customer, kind=EntryKind.EXPIRY, points=-total, created_at=clock.now()
            )
            consume(entry, total, left)
            record_event(name="loyalty.points_expired", customer=customer, subject=entry, payload={"points": total})
        PointsEntry.objects.filter(pk__in=lot_ids).update(expiry_handled=True)
