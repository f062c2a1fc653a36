"""Warranties for the delivered demo units (bulk inserts) and a few claims, after the orders are written."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.sales.models import OrderLine, OrderStatus
from haumai.warranty import policy
from haumai.warranty import services as warranty_services
from haumai.warranty.models import ClaimOrigin, StartRule, Warranty, WarrantySource, WarrantyStatus

BATCH = 5_000
CLAIMS = 12
CLAIM_TEXTS = (
    "Máy không lên nguồn sau khi sạc qua đêm.",
    "Màn hình xuất hiện sọc xanh ở cạnh trái.",
    "Điều hòa chạy nhưng không mát, dàn nóng kêu to.",
    "Máy giặt báo lỗi E21 và không xả nước.",
    "Pin tụt nhanh, chỉ dùng được khoảng 3 tiếng.",
    "Bàn phím laptop liệt một số phím.",
)


def _local(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(clock.LOCAL_TZ).date() if moment is not None else None


def seed_warranties(*, seed: int) -> dict[str, int]:
    """Create one warranty per delivered order line with a unit (idempotent per line), then some claims."""
    rng = random.Random(seed * 7 + 11)
    today = clock.today()
    terms_by_product: dict[int, Any] = {}
    for product in Product.objects.filter(is_serialized=True).select_related("category"):
        terms = policy.policy_for(product)
        if terms is not None:
            terms_by_product[product.pk] = (terms, policy.snapshot(terms))
    lines = (
        OrderLine.objects.filter(
            unit__isnull=False,
            order__status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED),
            product_id__in=list(terms_by_product),
            warranties__isnull=True,
        )
        .values_list("id", "unit_id", "product_id", "order__customer_id", "order__placed_at", "order__delivered_at")
        .order_by("id")
    )
    rows: list[Warranty] = []
    for line_id, unit_id, product_id, customer_id, placed_at, delivered_at in lines.iterator(chunk_size=BATCH):
        terms, snapshot = terms_by_product[product_id]
        purchased = _local(placed_at)
        if terms.start_rule == StartRule.PURCHASE:
            start = purchased
        elif terms.start_rule == StartRule.DELIVERY:
            start = _local(delivered_at) or purchased
        else:  # most customers activate within a few days; some never do
            received = _local(delivered_at) or purchased or today
            start = received + dt.timedelta(days=rng.randint(0, 4))
            if rng.random() < 0.25 or start > today:
                start = None
        ends = policy.covered_until(start, terms.duration, terms.duration_unit) if start else None
        rows.append(
            Warranty(
                unit_id=unit_id,
                order_line_id=line_id,
                customer_id=customer_id,
                policy=terms,
                terms=snapshot,
                source=WarrantySource.DELIVERY,
                status=WarrantyStatus.ACTIVE if start else WarrantyStatus.PENDING,
                purchased_on=purchased,
                starts_on=start,
                base_ends_on=ends,
                ends_on=ends,
                covered_until=ends,
            )
        )
    by_year: dict[int, list[Warranty]] = defaultdict(list)
    for row in rows:
        by_year[(row.purchased_on or today).year].append(row)
    with transaction.atomic():
        for year, group in sorted(by_year.items()):
            for row, code in zip(group, next_codes("WR", len(group), year=year), strict=True):
                row.code = code
        Warranty.objects.bulk_create(rows, batch_size=BATCH)
    claims = 0
    candidates = list(
        Warranty.objects.filter(status=WarrantyStatus.ACTIVE, ends_on__gte=today).order_by("-starts_on")[: CLAIMS * 3]
    )
    for warranty in rng.sample(candidates, min(CLAIMS, len(candidates))):
        warranty_services.file_claim(
            actor=None,
            warranty=warranty,
            description=rng.choice(CLAIM_TEXTS),
            origin=rng.choice((ClaimOrigin.PORTAL, ClaimOrigin.CONSOLE)),
            actor_label="demo",
        )
        claims += 1
    return {"warranty_warranty": len(rows), "warranty_claim": claims}
