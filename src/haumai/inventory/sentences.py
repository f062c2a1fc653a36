"""Timeline sentences of stock moves (stock.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import label, said, value
from haumai.inventory.models import Grade, MoveReason


def stock_moved(event: Any) -> TimelineEntry:
    raw = event.payload.get("quantity") if isinstance(event.payload, dict) else None
    quantity = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    params = {
        "quantity": f"{quantity:+d}",
        "sku": value(event, "sku") or "—",
        "grade": label(Grade, value(event, "grade")) or "—",
        # The name staff know the place by; events from before it was recorded show the code.
        "warehouse": value(event, "warehouse_name", "warehouse") or "—",
        "reason": label(MoveReason, value(event, "reason")) or "—",
    }
    text = _("Stock %(quantity)s × %(sku)s (%(grade)s) at %(warehouse)s — %(reason)s") % params
    return said(text, icon="warehouse", tone="success" if quantity > 0 else "neutral")


register_sentence("stock.moved", stock_moved)
