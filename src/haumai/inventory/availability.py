"""Available-to-sell per sales channel: derived from stock levels and the channels' allocation rules.

A channel sells what its active allocations draw: for each allocation, the on-hand quantity of the
grades it names (in its warehouse, or every warehouse), times its share, less its buffer, never below
zero; the channel's quantity is the sum over its allocations. The last published quantity per SKU and
channel is kept in ChannelStock; whenever a stock move changes it, the new quantity is written in the same
transaction as the move and a `stock.available_changed` event is recorded, which the outbound webhooks
deliver (signed, retried) to the channel integrations subscribed to `stock.*`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Sum

from haumai.core import clock
from haumai.events.services import record_event
from haumai.inventory.models import ChannelAllocation, ChannelStock, StockLevel

EVENT = "stock.available_changed"


def _allocations() -> list[ChannelAllocation]:
    # One small query per stock move; not cached, so a rule change applies to the very next move.
    return list(ChannelAllocation.objects.filter(is_active=True).select_related("channel"))


def _allocated(allocation: ChannelAllocation, on_hand: dict[tuple[int, str], int]) -> int:
    grades = set(allocation.grade_list())
    total = sum(
        quantity
        for (warehouse_id, grade), quantity in on_hand.items()
        if grade in grades and (allocation.warehouse_id is None or allocation.warehouse_id == warehouse_id)
    )
    return max(total * allocation.share_percent // 100 - allocation.buffer, 0)


def available_by_channel(*, product_id: int, allocations: Iterable[ChannelAllocation] | None = None) -> dict[int, int]:
    """Available-to-sell of one SKU per channel id, computed from the levels now (one query)."""
    rules = list(allocations) if allocations is not None else _allocations()
    if not rules:
        return {}
    on_hand: dict[tuple[int, str], int] = {
        (row["warehouse_id"], row["grade"]): row["total"] or 0
        for row in StockLevel.objects.filter(product_id=product_id)
        .values("warehouse_id", "grade")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    result: dict[int, int] = defaultdict(int)
    for rule in rules:
        result[rule.channel_id] += _allocated(rule, on_hand)
    return dict(result)


def refresh_product(
    *,
    product: Any,
    warehouse_id: int | None = None,
    grade: str | None = None,
    actor: Any = None,
    actor_label: str = "",
    announce: bool = True,
) -> list[dict[str, Any]]:
    """Recompute one SKU's available-to-sell on the channels a change of (warehouse, grade) can touch.

    Call inside the transaction of the stock move. The channel rows are locked in a fixed order, so two
    moves of the same SKU recompute one after the other and the published quantity is never stale.
    Returns the changes written (channel code, previous, available).
    """
    every_rule = _allocations()
    rules = [
        rule
        for rule in every_rule
        if (grade is None or grade in rule.grade_list())
        and (warehouse_id is None or rule.warehouse_id is None or rule.warehouse_id == warehouse_id)
    ]
    if not rules:
        return []
    channel_ids = sorted({rule.channel_id for rule in rules})
    channel_rules = [rule for rule in every_rule if rule.channel_id in channel_ids]
    now = clock.now()
    with transaction.atomic():
        ChannelStock.objects.bulk_create(
            [ChannelStock(channel_id=cid, product_id=product.pk, available=0, updated_at=now) for cid in channel_ids],
            ignore_conflicts=True,
        )
        rows = list(
            ChannelStock.objects.select_for_update()
            .filter(product_id=product.pk, channel_id__in=channel_ids)
            .order_by("channel_id")
        )
        # Read after the lock: a concurrent move of this SKU has committed its level by now.
        available = available_by_channel(product_id=product.pk, allocations=channel_rules)
        channels = {rule.channel_id: rule.channel for rule in channel_rules}
        changes: list[dict[str, Any]] = []
        for row in rows:
            new = available.get(row.channel_id, 0)
            if new == row.available:
                continue  # unchanged (or created just now at 0 and still 0): nothing to announce
            previous = row.available
            row.available, row.updated_at = new, now
            row.save(update_fields=["available", "updated_at"])
            channel = channels[row.channel_id]
            change = {
                "sku": product.sku,
                "product_name": product.name,
                "channel": channel.code,
                "channel_name": channel.name,
                "previous": previous,
                "available": new,
            }
            changes.append(change)
            if announce:
                record_event(name=EVENT, subject=row, actor=actor, actor_label=actor_label, payload=change)
    return changes


def refresh_all(*, actor: Any = None, batch_size: int = 500, announce: bool = True) -> int:
    """Recompute every SKU that has stock or a published quantity (after an allocation rule changed).

    `announce=False` (the demo's first computation) writes the quantities without an event per change.
    """
    from haumai.catalog.models import Product

    product_ids = set(StockLevel.objects.values_list("product_id", flat=True).distinct())
    product_ids |= set(ChannelStock.objects.values_list("product_id", flat=True).distinct())
    # A channel that lost its rules still has rows: they fall to 0 through a rule-less recompute.
    changed = 0
    ids = sorted(product_ids)
    for start in range(0, len(ids), batch_size):
        for product in Product.objects.filter(pk__in=ids[start : start + batch_size]).only("pk", "sku", "name"):
            changed += len(_refresh_every_channel(product=product, actor=actor, announce=announce))
    return changed


def _refresh_every_channel(*, product: Any, actor: Any, announce: bool) -> list[dict[str, Any]]:
    changes = refresh_product(product=product, actor=actor, announce=announce)
    active_channels = {rule.channel_id for rule in _allocations()}
    with transaction.atomic():
        orphans = ChannelStock.objects.select_for_update().filter(product_id=product.pk).exclude(
            channel_id__in=active_channels
        ).exclude(available=0).select_related("channel")  # fmt: skip
        for row in orphans:
            change = {
                "sku": product.sku,
                "product_name": product.name,
                "channel": row.channel.code,
                "channel_name": row.channel.name,
                "previous": row.available,
                "available": 0,
            }
            row.available, row.updated_at = 0, clock.now()
            row.save(update_fields=["available", "updated_at"])
            if announce:
                record_event(name=EVENT, subject=row, actor=actor, payload=change)
            changes.append(change)
    return changes
