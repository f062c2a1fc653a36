"""Proactive care on deliveries: a forward shipment that runs late, gets stuck, fails an attempt or goes back
to the sender gets a care event (`delivery.late`, `delivery.stuck`, `delivery.failed`, `delivery.returned`),
written in the same transaction as the shipment's own event.

The built-in journeys of journeys migration 0011 (`delivery-*`) enter on these events: they open a care task
for the team and write to the customer (consent respected; service messages, so quiet hours do not hold them).
They do not allow re-entry, so the journeys' unique run per journey, customer and subject gives one task and
one notice per shipment and problem however often the problem comes back (a second failed attempt) and
however many workers dispatch the events at once. Return pickups (reverse shipments) are handled by returns.
"""

from __future__ import annotations

from typing import Any

from haumai.core import clock
from haumai.events.services import record_event
from haumai.shipping.models import Direction, Shipment
from haumai.shipping.services.common import event_payload
from haumai.shipping.statuses import ShipmentStatus

LATE = "late"
STUCK = "stuck"
FAILED = "failed"
RETURNED = "returned"
PROBLEMS = (LATE, STUCK, FAILED, RETURNED)
CARE_EVENTS = {problem: f"delivery.{problem}" for problem in PROBLEMS}
# The tracking statuses that are a problem of their own for a delivery.
STATUS_PROBLEMS = {ShipmentStatus.FAILED: FAILED, ShipmentStatus.RETURNED: RETURNED}


def needs_care(shipment: Shipment) -> bool:
    """True for deliveries to a known customer (the only shipments the care journeys write about)."""
    return shipment.direction == Direction.FORWARD and shipment.customer_id is not None


def care_event(*, shipment: Shipment, problem: str, customer: Any, detail: str = "") -> dict[str, Any]:
    """The care event of a delivery's problem as keyword arguments of record_event (the demo records many)."""
    if problem not in PROBLEMS:
        raise ValueError(f"unknown delivery problem {problem!r}")
    payload = event_payload(shipment)
    promised = shipment.promised_at.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y") if shipment.promised_at else ""
    payload.update(
        problem=problem,
        order_code=shipment.reference,
        carrier_name=shipment.carrier.name,
        promised_date=promised,
        detail=detail[:255],
    )
    return {
        "name": CARE_EVENTS[problem], "customer": customer, "subject": shipment, "actor_label": "system",
        "payload": payload,
    }  # fmt: skip


def flag_delivery_problem(*, shipment: Shipment, problem: str, customer: Any, detail: str = "") -> None:
    """Record the care event of a delivery's problem (call inside the transaction that found it)."""
    if needs_care(shipment):
        record_event(**care_event(shipment=shipment, problem=problem, customer=customer, detail=detail))
