"""Writes of shipping: create, book (worker), track, cancel, staff updates, stuck detection."""

from __future__ import annotations

from haumai.shipping.services.booking import (
    attempt_booking,
    cancel_shipment,
    handle_due,
    pending_due,
    retry_booking_now,
)
from haumai.shipping.services.creation import Parcel, Party, create_shipment
from haumai.shipping.services.tracking import (
    APPLIED,
    DUPLICATE,
    RECORDED,
    STAFF_STATUSES,
    UNKNOWN_SHIPMENT,
    apply_update,
    flag_delayed,
    ingest_tracking_updates,
    mark_received_at_store,
    update_fleet_status,
)

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "RECORDED",
    "STAFF_STATUSES",
    "UNKNOWN_SHIPMENT",
    "Parcel",
    "Party",
    "apply_update",
    "attempt_booking",
    "cancel_shipment",
    "create_shipment",
    "flag_delayed",
    "handle_due",
    "ingest_tracking_updates",
    "mark_received_at_store",
    "pending_due",
    "retry_booking_now",
    "update_fleet_status",
]
