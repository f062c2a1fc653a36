"""Assembly: turn generated blocks (local ids, no codes) into database rows, strictly in block order.

`Assembler.assemble(block)` adds each table's running id offset to the block's ids and foreign
keys, reserves CUS-/ORD- codes per calendar year, and writes timeline events for the oldest and
the newest `plan.event_customers` customers. It is cheap next to generation, which is what lets
blocks be generated in parallel processes while the result stays identical.
`CustomerGenerator` bundles a BlockGenerator and an Assembler for in-process use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haumai.demo.generator import BLOCK, BLOCK_TABLES, Block, BlockGenerator
from haumai.demo.payments import payment_rows
from haumai.demo.plan import CodeAllocator, Plan
from haumai.demo.writer import (
    ADDRESS,
    CONSENT,
    CUSTOMER,
    EVENT,
    IDENTITY,
    ORDER,
    ORDER_LINE,
    PAYMENT,
    UNIT,
    Rows,
)

GENERATED_TABLES = (*BLOCK_TABLES, PAYMENT, EVENT)
CANCELLATION_DELAY = dt.timedelta(hours=3)


class Assembler:
    """Gives blocks their database ids and codes, in order."""

    def __init__(self, plan: Plan, allocate: CodeAllocator, now: dt.datetime) -> None:
        self.plan = plan
        self.allocate = allocate
        self.now = now
        self.next_id = dict(plan.first_ids)
        self.channel_codes = {channel_id: code for code, channel_id in plan.channels.items()}
        self.expected_block = 0

    def take_ids(self, table: str, count: int) -> int:
        """Reserve `count` consecutive ids of a table."""
        first = self.next_id[table]
        self.next_id[table] = first + count
        return first

    def assemble(self, block: Block) -> Rows:
        """Database rows for one block (blocks must come in order: 0, 1, 2 ...)."""
        if block.index != self.expected_block:
            raise ValueError(f"expected block {self.expected_block}, got {block.index}")
        self.expected_block += 1
        local = block.rows
        c0 = self.take_ids(CUSTOMER.name, len(local[CUSTOMER.name]))
        i0 = self.take_ids(IDENTITY.name, len(local[IDENTITY.name]))
        a0 = self.take_ids(ADDRESS.name, len(local[ADDRESS.name]))
        k0 = self.take_ids(CONSENT.name, len(local[CONSENT.name]))
        u0 = self.take_ids(UNIT.name, len(local[UNIT.name]))
        o0 = self.take_ids(ORDER.name, len(local[ORDER.name]))
        l0 = self.take_ids(ORDER_LINE.name, len(local[ORDER_LINE.name]))
        customer_codes = self.allocate("CUS", block.customer_years)
        order_codes = self.allocate("ORD", block.order_years)
        rows: Rows = {
            CUSTOMER.name: [
                (r[0] + c0, code, *r[2:]) for r, code in zip(local[CUSTOMER.name], customer_codes, strict=True)
            ],
            IDENTITY.name: [(r[0] + i0, r[1] + c0, *r[2:]) for r in local[IDENTITY.name]],
            ADDRESS.name: [(r[0] + a0, r[1] + c0, *r[2:]) for r in local[ADDRESS.name]],
            CONSENT.name: [(r[0] + k0, r[1] + c0, *r[2:]) for r in local[CONSENT.name]],
            UNIT.name: [(r[0] + u0, *r[1:]) for r in local[UNIT.name]],
            ORDER.name: [
                (r[0] + o0, code, r[2], r[3], r[4] + c0, *r[5:])
                for r, code in zip(local[ORDER.name], order_codes, strict=True)
            ],
            ORDER_LINE.name: [
                (r[0] + l0, r[1] + o0, r[2], None if r[3] is None else r[3] + u0, r[4], r[5], r[6])
                for r in local[ORDER_LINE.name]
            ],
        }
        orders = rows[ORDER.name]
        rows[PAYMENT.name] = payment_rows(orders, self.take_ids(PAYMENT.name, 0))
        self.take_ids(PAYMENT.name, len(rows[PAYMENT.name]))
        rows[EVENT.name] = self._events(block.index * BLOCK, rows)
        return rows

    def _has_timeline(self, customer_index: int) -> bool:
        keep = self.plan.event_customers
        return customer_index < keep or customer_index >= self.plan.customers - keep

    def _events(self, first_index: int, rows: Rows) -> list[tuple[Any, ...]]:
        """customer.created and order.created/delivered/cancelled for the timeline customers."""
        last_index = first_index + len(rows[CUSTOMER.name]) - 1
        if not (self._has_timeline(first_index) or self._has_timeline(last_index)):
            return []
        wanted: list[tuple[str, dt.datetime, int, str, str, dict[str, Any]]] = []
        first_customer_id = rows[CUSTOMER.name][0][0] if rows[CUSTOMER.name] else 0
        for customer in rows[CUSTOMER.name]:
            if self._has_timeline(first_index + customer[0] - first_customer_id):
                customer_id, code, created_at = customer[0], customer[1], customer[11]
                wanted.append(("customer.created", created_at, customer_id, "customers.customer", str(customer_id),
                               {"code": code}))
        for order in rows[ORDER.name]:
            order_id, code, channel_id, _, customer_id, _, status, placed_at, delivered_at, total = order[:10]
            if not self._has_timeline(first_index + customer_id - first_customer_id):
                continue
            channel = self.channel_codes[channel_id]
            subject = str(order_id)
            wanted.append(("order.created", placed_at, customer_id, "sales.order", subject,
                           {"code": code, "channel": channel, "total": total}))
            if delivered_at is not None:
                wanted.append(("order.delivered", delivered_at, customer_id, "sales.order", subject, {"code": code}))
            elif status == "cancelled":
                cancelled_at = min(placed_at + CANCELLATION_DELAY, self.now)
                wanted.append(("order.cancelled", cancelled_at, customer_id, "sales.order", subject, {"code": code}))
        first_id = self.take_ids(EVENT.name, len(wanted))
        return [
            (first_id + i, name, moment, customer_id, subject_type, subject_id, None, "demo", payload, None, moment)
            for i, (name, moment, customer_id, subject_type, subject_id, payload) in enumerate(wanted)
        ]


class CustomerGenerator:
    """Block generator + assembler in one process: `chunk(first, count)` gives database rows."""

    def __init__(self, plan: Plan, allocate: CodeAllocator) -> None:
        self.plan = plan
        self.blocks = BlockGenerator(plan)
        self.timeline = self.blocks.timeline
        self.assembler = Assembler(plan, allocate, self.timeline.now)

    def take_ids(self, table: str, count: int) -> int:
        """Reserve `count` consecutive ids of a table."""
        return self.assembler.take_ids(table, count)

    def unit_row(
        self, unit_id: int, product: Any, serial_range: int, counter: int, status: str, created_at: dt.datetime
    ) -> tuple[Any, ...]:
        """A serialised unit (see BlockGenerator.unit_row)."""
        return self.blocks.unit_row(unit_id, product, serial_range, counter, status, created_at)

    def chunk(self, first: int, count: int) -> Rows:
        """Database rows for customers first .. first+count-1; chunks start on block boundaries."""
        if first % BLOCK or (count % BLOCK and first + count < self.plan.customers):
            raise ValueError(f"chunks must start and end on multiples of {BLOCK} (or at the end)")
        rows: Rows = {table.name: [] for table in GENERATED_TABLES}
        for block_first in range(first, min(first + count, self.plan.customers), BLOCK):
            for name, batch in self.assembler.assemble(self.blocks.block(block_first // BLOCK)).items():
                rows[name].extend(batch)
        return rows


def merge(target: Rows, rows: Rows) -> None:
    """Append rows table by table."""
    for name, batch in rows.items():
        target.setdefault(name, []).extend(batch)
