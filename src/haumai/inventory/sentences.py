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


def _transfer_params(event: Any) -> dict[str, str]:
    return {
        "code": value(event, "transfer_code") or "—",
        "source": value(event, "source_name", "source") or "—",
        "destination": value(event, "destination_name", "destination") or "—",
    }


def transfer_requested(event: Any) -> TimelineEntry:
    text = _("Transfer %(code)s requested: %(source)s → %(destination)s") % _transfer_params(event)
    return said(text, icon="warehouse")


def transfer_shipped(event: Any) -> TimelineEntry:
    text = _("Transfer %(code)s left %(source)s for %(destination)s (in transit)") % _transfer_params(event)
    return said(text, icon="warehouse")


def transfer_received(event: Any) -> TimelineEntry:
    text = _("Transfer %(code)s received at %(destination)s") % _transfer_params(event)
    return said(text, icon="warehouse", tone="success")


def transfer_cancelled(event: Any) -> TimelineEntry:
    return said(_("Transfer %(code)s cancelled") % _transfer_params(event), icon="warehouse")


def available_changed(event: Any) -> TimelineEntry:
    params = {
        "sku": value(event, "sku") or "—",
        "channel": value(event, "channel_name", "channel") or "—",
        "previous": value(event, "previous") or "—",
        "available": value(event, "available") or "—",
    }
    text = _("Available to sell of %(sku)s on %(channel)s: %(previous)s → %(available)s") % params
    return said(text, icon="warehouse", tone="info")


register_sentence("stock.moved", stock_moved)
register_sentence("transfer.requested", transfer_requested)
register_sentence("transfer.shipped", transfer_shipped)
register_sentence("transfer.received", transfer_received)
register_sentence("transfer.cancelled", transfer_cancelled)
register_sentence("stock.available_changed", available_changed)
