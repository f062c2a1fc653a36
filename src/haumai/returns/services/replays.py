"""Telling a replayed create request (same idempotency key, same content) from another request under its key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from haumai.core.errors import Conflict
from haumai.customers.models import Customer
from haumai.returns.models import ReturnLine, ReturnRequest
from haumai.sales.models import Order

if TYPE_CHECKING:
    from haumai.returns.services.creation import LineInput


@dataclass(frozen=True)
class Asked:
    """What a create request asked for, to tell a replay from another request under the same key."""

    customer: Customer
    order: Order | None
    lines: Sequence[LineInput]
    reason: str
    resolution: str
    logistics: str


def replayed(existing: ReturnRequest, asked: Asked) -> ReturnRequest:
    """The return an idempotency key created before, if this request is the same one again."""
    if existing.customer_id != asked.customer.pk:
        raise Conflict(_("This idempotency key was used for another customer's return"), "idempotency_conflict")
    same = (
        existing.order_id == (asked.order.pk if asked.order else None)
        and (existing.reason, existing.resolution, existing.logistics)
        == (asked.reason, asked.resolution, asked.logistics)
        and _same_lines(list(existing.lines.select_related("product", "unit")), asked.lines)
    )
    if not same:
        raise Conflict(
            _(
                "This idempotency key was already used for return %(code)s with other content; "
                "send the same request to get it again, or use a new key for a new return"
            )
            % {"code": existing.code},
            "idempotency_conflict",
        )
    return existing


def _same_lines(stored: list[ReturnLine], items: Sequence[LineInput]) -> bool:
    """Each asked item matches one stored line (same order line, serial or SKU; same quantity and condition)."""
    if len(stored) != len(items):
        return False
    left = list(stored)
    for item in items:
        found = next((line for line in left if _describes(item, line)), None)
        if found is None:
            return False
        left.remove(found)
    return True


def _describes(item: LineInput, line: ReturnLine) -> bool:
    if (item.quantity, item.condition) != (line.quantity, line.condition):
        return False
    if item.order_line_id is not None:
        return item.order_line_id == line.order_line_id
    if item.serial.strip():
        return line.unit is not None and line.unit.serial == item.serial.strip()
    return line.product.sku == item.sku.strip()
