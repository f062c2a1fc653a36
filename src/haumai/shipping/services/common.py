"""Helpers shared by the shipping services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haumai.core import clock
from haumai.shipping import conf
from haumai.shipping.models import Shipment
from haumai.shipping.statuses import ACTIVE


def event_payload(shipment: Shipment, *, raw_code: str = "") -> dict[str, Any]:
    """The payload of every shipment.* event (see the contracts)."""
    return {
        "shipment_code": shipment.code,
        "carrier": shipment.carrier.code,
        "direction": shipment.direction,
        "reference": shipment.reference,
        "status": shipment.status,
        "raw_code": raw_code or shipment.raw_status,
        "tracking_code": shipment.tracking_code,
    }


def schedule_stuck_check(shipment: Shipment, *, since: dt.datetime | None = None) -> None:
    """Set due_at to when silence becomes 'stuck' (active states), or clear it."""
    if shipment.status in ACTIVE:
        shipment.due_at = (since or clock.now()) + dt.timedelta(hours=conf.stuck_after_hours())
    else:
        shipment.due_at = None
