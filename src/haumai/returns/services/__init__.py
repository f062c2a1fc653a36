"""Writes of returns: the RMA lifecycle. Import from here; the submodules are implementation."""

from __future__ import annotations

from haumai.returns.services.common import TRANSITIONS, ReturnNotEligible
from haumai.returns.services.creation import LineInput, PickupInput, check_goodwill, create_return
from haumai.returns.services.decisions import approve_return, cancel_return, reject_return, retry_pickup_booking
from haumai.returns.services.merging import reassign_customer_returns
from haumai.returns.services.receiving import find_for_scan, inspect_line, receive_return
from haumai.returns.services.resolution import (
    close_return,
    handle_missing_items_due,
    mark_refund_sent,
    pending_missing_items,
    resolve_return,
    return_to_customer,
)
from haumai.returns.services.tracking import on_refund_event, on_shipment_event, retry_resolution

__all__ = [
    "TRANSITIONS",
    "LineInput",
    "PickupInput",
    "ReturnNotEligible",
    "approve_return",
    "cancel_return",
    "check_goodwill",
    "close_return",
    "create_return",
    "find_for_scan",
    "handle_missing_items_due",
    "inspect_line",
    "mark_refund_sent",
    "on_refund_event",
    "on_shipment_event",
    "pending_missing_items",
    "reassign_customer_returns",
    "receive_return",
    "reject_return",
    "resolve_return",
    "retry_pickup_booking",
    "retry_resolution",
    "return_to_customer",
]
