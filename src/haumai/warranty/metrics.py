"""Warranty claim rate per product and per batch, for the KPI dashboard (one grouped query each).

The catalogue has no production batch or lot on a unit, so a batch is the local month the unit was bought in
(`Warranty.purchased_on`). For [start, end): claims = claims submitted in the period on the product's (batch's)
warranties; units = warranties covering the period's last local day (the same rule as the claim-rate KPI:
pending activations, replaced units and voided warranties left out). Rate = claims per 1,000 units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from haumai.core import clock
from haumai.warranty.models import Warranty, WarrantyStatus


def _covering(day: dt.date) -> Q:
    return (
        Q(starts_on__lte=day, ends_on__gte=day)
        & ~Q(status__in=(WarrantyStatus.PENDING, WarrantyStatus.REPLACED))
        & ~Q(status=WarrantyStatus.VOID, voided_at__date__lte=day)
    )


def claim_rates(
    start: dt.datetime, end: dt.datetime, *, by_batch: bool = False, limit: int = 50, category: int | None = None,
    channel: str = "",
) -> list[dict[str, Any]]:
    """Per product (and batch = purchase month), claims submitted in [start, end) and units under warranty on
    the last local day, most claims first (one grouped query); `category` and `channel` (of the sale) narrow it."""
    last_day = (end - dt.timedelta(microseconds=1)).astimezone(clock.LOCAL_TZ).date()
    in_period = Q(claims__submitted_at__gte=start, claims__submitted_at__lt=end)
    keys = ["unit__product__sku", "unit__product__name"] + (["batch"] if by_batch else [])
    warranties = Warranty.objects.all()
    if category:
        warranties = warranties.filter(unit__product__category_id=category)
    if channel:
        warranties = warranties.filter(order_line__order__channel__code=channel)
    rows = (
        warranties.filter(_covering(last_day) | in_period)
        .annotate(batch=TruncMonth("purchased_on"))
        .values(*keys)
        .annotate(
            claim_count=Count("claims", filter=in_period, distinct=True),
            unit_count=Count("id", filter=_covering(last_day), distinct=True),
        )
        .order_by("-claim_count", "-unit_count", *keys)[:limit]
    )
    result = []
    for row in rows:
        claims, units = row["claim_count"], row["unit_count"]
        rate = 1000 * claims / units if units else None
        result.append({**row, "claims": claims, "units": units, "batch": row.get("batch"), "rate": rate})
    return result
