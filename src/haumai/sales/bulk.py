"""Bulk reads and writes of orders for importers: lookups by key, fingerprints, batched inserts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction

from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.customers.bulk import copy_into, reserve_ids, select_in, uses_copy
from haumai.sales.models import Channel, ChannelKind, Order, OrderLine, Store

BATCH_SIZE = 5000
ORDER_CODE_PREFIX = "ORD"
T = TypeVar("T")

# (sku, quantity, unit price, serial, imei) — what a line contributes to an order's fingerprint.
LineKey = tuple[str, int, int, str, str]


@dataclass(slots=True)
class LineRecord:
    """One order line to insert."""

    product_id: int
    quantity: int
    unit_price: int
    unit_id: int | None = None


@dataclass(slots=True)
class OrderRecord:
    """One order to insert; `id` and `code` are filled in by create_orders."""

    channel_id: int
    external_id: str
    customer_id: int
    placed_at: dt.datetime
    status: str
    content_hash: str
    store_id: int | None = None
    delivered_at: dt.datetime | None = None
    lines: Sequence[LineRecord] = field(default_factory=list)
    id: int | None = None
    code: str = ""

    @property
    def total(self) -> int:
        """Sum of the line totals (VND)."""
        return sum(line.quantity * line.unit_price for line in self.lines)


@dataclass(frozen=True)
class StoredOrder:
    """An order already stored under a (channel, external id) key."""

    id: int
    code: str
    content_hash: str


def chunked(items: Sequence[T], size: int = 2000) -> Iterator[Sequence[T]]:
    """Slices of at most `size` items (keeps IN lists within database limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ensure_channel(*, code: str, name: str, kind: str = ChannelKind.WEBSITE) -> Channel:
    """Get or create a sales channel by code (setup of imports, tests and benchmarks)."""
    channel, _ = Channel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return channel


def channel_ids() -> dict[str, int]:
    """All channels: code -> id (there are few)."""
    return dict(Channel.objects.values_list("code", "id"))


def store_ids() -> dict[str, int]:
    """All stores: code -> id (there are few)."""
    return dict(Store.objects.values_list("code", "id"))


def find_orders(keys: Collection[tuple[int, str]]) -> dict[tuple[int, str], StoredOrder]:
    """Stored orders by (channel id, external id)."""
    by_external: dict[str, set[int]] = defaultdict(set)
    for channel_id, external_id in keys:
        by_external[external_id].add(channel_id)
    found: dict[tuple[int, str], StoredOrder] = {}
    rows = select_in(Order, ("channel_id", "external_id", "id", "code", "content_hash"), "external_id", by_external)
    if rows:
        for stored_channel, stored_external, order_id, code, content_hash in rows:
            if stored_external is not None and stored_channel in by_external[stored_external]:
                found[(stored_channel, stored_external)] = StoredOrder(order_id, code, content_hash)
    return found


def unit_sales(unit_ids: Collection[int]) -> dict[int, tuple[int, str | None, str]]:
    """For units already on an order line: unit id -> (channel id, external id, order code)."""
    found: dict[int, tuple[int, str | None, str]] = {}
    for part in chunked(sorted(unit_ids), 5000):
        rows = OrderLine.objects.filter(unit_id__in=part).values_list(
            "unit_id", "order__channel_id", "order__external_id", "order__code"
        )
        for unit_id, channel_id, external_id, code in rows:
            found[unit_id] = (channel_id, external_id, code)
    return found


def _stamp(moment: dt.datetime | None) -> str:
    return "" if moment is None else str(int(moment.timestamp()))


def order_fingerprint(
    *,
    channel: str,
    external_id: str,
    placed_at: dt.datetime,
    status: str,
    customer_phone: str,
    store: str,
    delivered_at: dt.datetime | None,
    lines: Iterable[LineKey],
) -> str:
    """SHA-256 of an order's pushed content; the same order pushed twice has the same fingerprint."""
    # str() everywhere: a choices enum member and its plain value must give the same fingerprint.
    content = (
        str(channel), str(external_id), _stamp(placed_at), str(status), str(customer_phone or ""), str(store or ""),
        _stamp(delivered_at), sorted(lines),
    )  # fmt: skip
    return hashlib.sha256(repr(content).encode()).hexdigest()


def stored_fingerprints(order_ids: Collection[int]) -> dict[int, str]:
    """Fingerprints of stored orders computed from their rows (for orders saved without one)."""
    lines: dict[int, list[LineKey]] = defaultdict(list)
    result: dict[int, str] = {}
    for part in chunked(sorted(order_ids), 2000):
        for order_id, sku, quantity, price, serial, imei in OrderLine.objects.filter(order_id__in=part).values_list(
            "order_id", "product__sku", "quantity", "unit_price", "unit__serial", "unit__imei"
        ):
            lines[order_id].append((sku, quantity, price, serial or "", imei or ""))
        orders = Order.objects.filter(pk__in=part).values_list(
            "id",
            "channel__code",
            "external_id",
            "placed_at",
            "status",
            "customer__phone",
            "store__code",
            "delivered_at",
        )
        for order_id, channel, external_id, placed_at, status, phone, store, delivered_at in orders:
            result[order_id] = order_fingerprint(
                channel=channel,
                external_id=external_id or "",
                placed_at=placed_at,
                status=status,
                customer_phone=phone or "",
                store=store or "",
                delivered_at=delivered_at,
                lines=lines[order_id],
            )
    return result


@transaction.atomic
def create_orders(*, records: Sequence[OrderRecord]) -> None:
    """Insert orders and their lines in batches, giving each a code (ORD-yyyy-nnnnnn) and an id."""
    if not records:
        return
    codes = next_codes(ORDER_CODE_PREFIX, len(records))
    for record, code in zip(records, codes, strict=True):
        record.code = code
    if uses_copy():
        _copy_orders(records)
        return
    for batch in chunked(records, BATCH_SIZE):
        orders = [
            Order(
                code=r.code,
                channel_id=r.channel_id,
                external_id=r.external_id,
                customer_id=r.customer_id,
                store_id=r.store_id,
                status=r.status,
                placed_at=r.placed_at,
                delivered_at=r.delivered_at,
                total=r.total,
                content_hash=r.content_hash,
            )
            for r in batch
        ]
        Order.objects.bulk_create(orders)
        if any(o.pk is None for o in orders):
            ids = dict(Order.objects.filter(code__in=[o.code for o in orders]).values_list("code", "id"))
            for order in orders:
                order.pk = ids[order.code]
        lines: list[OrderLine] = []
        for record, order in zip(batch, orders, strict=True):
            record.id = order.pk
            lines.extend(
                OrderLine(
                    order_id=order.pk,
                    product_id=line.product_id,
                    unit_id=line.unit_id,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    line_total=line.quantity * line.unit_price,
                )
                for line in record.lines
            )
        OrderLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)


_ORDER_FIELDS = (
    "id", "code", "channel_id", "external_id", "customer_id", "store_id", "status", "placed_at",
    "delivered_at", "total", "payment_method", "content_hash", "created_at", "updated_at",
)  # fmt: skip
_LINE_FIELDS = ("order_id", "product_id", "unit_id", "quantity", "unit_price", "line_total")


def _copy_orders(records: Sequence[OrderRecord]) -> None:
    ids = reserve_ids(Order, len(records))
    moment = clock.now()
    rows = []
    lines = []
    for record, order_id in zip(records, ids, strict=True):
        record.id = order_id
        total = 0
        for line in record.lines:
            line_total = line.quantity * line.unit_price
            total += line_total
            lines.append((order_id, line.product_id, line.unit_id, line.quantity, line.unit_price, line_total))
        rows.append(
            (
                order_id, record.code, record.channel_id, record.external_id, record.customer_id, record.store_id,
                record.status, record.placed_at, record.delivered_at, total, "", record.content_hash, moment, moment,
            )
        )  # fmt: skip
    copy_into(Order, _ORDER_FIELDS, rows)
    copy_into(OrderLine, _LINE_FIELDS, lines)
