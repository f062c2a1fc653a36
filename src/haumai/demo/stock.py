"""Opening stock: goods receipts (the ledger) and the stock levels they add up to.

Serialised products are received unit by unit (one +1 move per serial, as a scanner would), the
rest in cartons. A stock count adjustment now and then keeps the ledger from looking too tidy;
every level is exactly the sum of its moves.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from haumai.demo.assembly import CustomerGenerator
from haumai.demo.writer import STOCK_LEVEL, STOCK_MOVE, UNIT, Rows

# (low, high) on-hand quantity per warehouse kind and department
STOCK_RANGES = {
    "phone": {"store": (3, 15), "central": (20, 60)},
    "laptop": {"store": (2, 8), "central": (10, 30)},
    "appliance": {"store": (1, 6), "central": (10, 40)},
    "fashion": {"store": (10, 60), "central": (100, 400)},
    "cosmetics": {"store": (10, 50), "central": (80, 300)},
    "purifier": {"store": (1, 5), "central": (8, 30)},
    "accessory": {"store": (10, 40), "central": (80, 300)},
}


def stock_rows(generator: CustomerGenerator) -> Rows:
    """Receipt moves, in-stock units and levels for every product in every demo warehouse."""
    plan = generator.plan
    rng = random.Random(f"stock:{plan.seed}")
    now = generator.timeline.now
    opening = generator.timeline.start + dt.timedelta(days=2)
    units: list[tuple[Any, ...]] = []
    moves: list[tuple[Any, ...]] = []
    levels: list[tuple[Any, ...]] = []
    receipt_number = 0
    counters: dict[int, int] = {}
    for key, warehouse_id in sorted(plan.warehouses.items()):
        kind = "central" if key == "hub" else "store"
        for product in plan.products:
            low, high = STOCK_RANGES[product.department][kind]
            wanted = rng.randint(low, high)
            receipt_number += 1
            reference = f"PN-{receipt_number:06d}"
            received_at = now - dt.timedelta(days=rng.uniform(1, 45))
            level = 0
            if product.is_serialized:
                for _ in range(wanted):
                    unit_id = generator.take_ids(UNIT.name, 1)
                    counter = counters.get(product.id, 0)
                    counters[product.id] = counter + 1
                    # Serial range 0 is the opening stock; customer blocks use ranges 1, 2, ...
                    units.append(generator.unit_row(unit_id, product, 0, counter, "in_stock", received_at))
                    moves.append(
                        _move(generator, product.id, warehouse_id, 1, "receipt", reference, unit_id, received_at)
                    )
                    level += 1
            else:
                opening_quantity = wanted + rng.randint(0, wanted)
                moves.append(_move(generator, product.id, warehouse_id, opening_quantity, "receipt",
                                   f"PN-OPEN-{receipt_number:06d}", None, opening))
                level += opening_quantity
                if rng.random() < 0.25:
                    lost = rng.randint(1, 3)
                    counted_at = received_at - dt.timedelta(days=rng.uniform(1, 30))
                    moves.append(_move(generator, product.id, warehouse_id, -lost, "adjustment",
                                       f"KK-{receipt_number:06d}", None, counted_at))
                    level -= lost
                restock = rng.randint(low, high)
                moves.append(
                    _move(generator, product.id, warehouse_id, restock, "receipt", reference, None, received_at)
                )
                level += restock
            level_id = generator.take_ids(STOCK_LEVEL.name, 1)
            levels.append((level_id, product.id, warehouse_id, "new", level, received_at))
    return {UNIT.name: units, STOCK_MOVE.name: moves, STOCK_LEVEL.name: levels}


def _move(
    generator: CustomerGenerator, product_id: int, warehouse_id: int, quantity: int, reason: str,
    reference: str, unit_id: int | None, moment: dt.datetime,
) -> tuple[Any, ...]:
    move_id = generator.take_ids(STOCK_MOVE.name, 1)
    return (move_id, product_id, warehouse_id, "new", quantity, reason, reference, unit_id, None, moment)
