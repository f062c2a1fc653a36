"""Demo stock flows: channel allocations (an outlet channel for open-box stock), disposition rules,
transfers between the central warehouse and the stores in every state, and the first available-to-sell.

Everything goes through the services (transfers move stock like staff would), so the ledger, the levels
and the published quantities agree. Run once: skipped when allocations already exist.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from haumai.inventory import availability
from haumai.inventory import transfers as transfer_services
from haumai.inventory.models import ChannelAllocation, StockLevel, Warehouse
from haumai.inventory.transfers import TransferLineInput
from haumai.sales.models import Channel

OUTLET = ("outlet", "Outlet — hàng trưng bày", "marketplace")
# channel code -> (grades, share %, buffer): the main channels sell new and A stock, holding a few back
# for the stores' walk-in customers; the outlet sells open-box (B) stock everywhere.
ALLOCATIONS = {
    "website": ("new,A", 100, 2),
    "shopee": ("new,A", 60, 1),
    "lazada": ("new,A", 40, 1),
    "tiktok-shop": ("new", 30, 1),
    "outlet": ("B", 100, 0),
}
RULES = [  # (grade, reason, disposition, into the central warehouse)
    ("A", "", "restock", False),
    ("B", "", "restock", True),
    ("C", "", "refurbish", False),
    ("D", "", "vendor_return", False),
    ("D", "damaged_in_transit", "scrap", False),
]


def _rules(hub: Warehouse) -> int:
    from haumai.returns.models import DispositionRule

    if DispositionRule.objects.exists():
        return 0
    DispositionRule.objects.bulk_create(
        [
            DispositionRule(grade=grade, reason=reason, disposition=disposition, warehouse=hub if central else None)
            for grade, reason, disposition, central in RULES
        ]
    )
    return len(RULES)


def _transfers(rng: random.Random, actor: Any, hub: Warehouse, stores: list[Warehouse]) -> int:
    levels = list(
        StockLevel.objects.filter(warehouse=hub, grade="new", quantity__gte=10, product__is_serialized=False)
        .select_related("product")
        .order_by("product__sku")[:40]
    )
    if not levels or not stores:
        return 0
    made = 0
    for index in range(8):
        store = stores[index % len(stores)]
        picked = rng.sample(levels, k=min(3, len(levels)))
        lines = [TransferLineInput(product=level.product, quantity=rng.randint(1, 3)) for level in picked]
        transfer, _ = transfer_services.request_transfer(
            actor=actor, source=hub, destination=store, lines=lines, note="Bổ sung hàng trưng bày",
            idempotency_key=f"demo-transfer-{index}",
        )  # fmt: skip
        made += 1
        if index % 4 == 3:
            transfer_services.cancel_transfer(actor=actor, transfer=transfer)
            continue
        if index % 4 >= 1:
            transfer_services.ship_transfer(actor=actor, transfer=transfer)
        if index % 4 == 2:
            transfer_services.receive_transfer(actor=actor, transfer=transfer)
    return made


def seed_inventory(*, seed: int = 11) -> dict[str, int]:
    """Allocations, disposition rules, demo transfers and the first available-to-sell per channel."""
    if ChannelAllocation.objects.exists():
        return {}
    from haumai.demo.reference import CENTRAL_WAREHOUSE

    hub = Warehouse.objects.filter(code=CENTRAL_WAREHOUSE[0]).first()
    if hub is None:
        return {}
    keeper = get_user_model().objects.filter(groups__name="warehouse", is_active=True).order_by("id").first()
    rng = random.Random(f"inventory:{seed}")
    with transaction.atomic():
        code, name, kind = OUTLET
        Channel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        channels = {c.code: c for c in Channel.objects.filter(code__in=ALLOCATIONS)}
        ChannelAllocation.objects.bulk_create(
            [
                ChannelAllocation(channel=channels[code], grades=grades, share_percent=share, buffer=buffer)
                for code, (grades, share, buffer) in ALLOCATIONS.items()
                if code in channels
            ]
        )
        rules = _rules(hub)
    # The opening quantities are written quietly: channels learn only of changes from now on.
    published = availability.refresh_all(announce=False)
    stores = list(Warehouse.objects.exclude(pk=hub.pk).order_by("code")[:4])
    with transaction.atomic():
        made = _transfers(rng, keeper, hub, stores)
    return {
        "inventory.channelallocation": ChannelAllocation.objects.count(),
        "returns.dispositionrule": rules,
        "inventory.transfer": made,
        "inventory.channelstock": published,
    }
