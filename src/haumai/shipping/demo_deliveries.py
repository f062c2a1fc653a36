"""Demo deliveries on the road: forward shipments of recent online orders with carrier events.

Complements `shipping/demo.py` (the delivered history of the last 60 days behind the carrier KPIs): these
are online orders that have no delivery yet, with a promised date.

Most were delivered (created, picked up, in transit, out for delivery, delivered), some are on the road,
a few had a failed attempt, and a few run later than the date promised to the customer (flagged as the
worker would, with the `shipment.late` event on the customer's timeline). Late and failed ones also get their
care event (`delivery.late`, `delivery.failed`), left for the worker to dispatch: the built-in delivery care
journeys then open the team's tasks and write to the customers. Skipped when they exist already.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.events.services import record_events
from haumai.sales.models import Order
from haumai.shipping.models import Carrier, CarrierKind, Direction, Shipment, TrackingEvent
from haumai.shipping.services.care import FAILED as FAILED_PROBLEM
from haumai.shipping.services.care import LATE, care_event
from haumai.shipping.services.common import event_payload
from haumai.shipping.statuses import ShipmentStatus

ONLINE_CHANNELS = ("website", "shopee", "lazada", "tiktok-shop", "phone")
PATH = [
    (ShipmentStatus.PICKED_UP, "picked_up", "Lấy hàng thành công"),
    (ShipmentStatus.IN_TRANSIT, "transporting", "Đang luân chuyển về kho đích"),
    (ShipmentStatus.OUT_FOR_DELIVERY, "delivering", "Đang giao hàng"),
    (ShipmentStatus.DELIVERED, "delivered", "Giao hàng thành công"),
]
FAILED = (ShipmentStatus.FAILED, "delivery_fail", "Giao không thành công: khách hẹn lại")


def _steps(rng: random.Random) -> tuple[int, bool]:
    """How far along the path a parcel got, and whether one attempt failed first."""
    roll = rng.random()
    if roll < 0.78:
        return len(PATH), rng.random() < 0.08
    if roll < 0.92:
        return rng.randint(1, 3), False
    return 3, True  # out for delivery, failed, waiting for the next round


def seed_forward_shipments(*, seed: int = 11, limit: int = 400) -> dict[str, int]:
    """Forward shipments with tracking events for the most recent online orders."""
    if Shipment.objects.filter(direction=Direction.FORWARD, idempotency_key__startswith="demo:outbound:").exists():
        return {}
    carriers = list(Carrier.objects.filter(kind=CarrierKind.API, is_active=True).order_by("code"))
    orders = list(
        Order.objects.filter(channel__code__in=ONLINE_CHANNELS, status__in=["shipped", "delivered", "completed"])
        .exclude(code__in=Shipment.objects.filter(direction=Direction.FORWARD).values("reference"))
        .select_related("customer")
        .order_by("-placed_at")[:limit]
    )
    if not carriers or not orders:
        return {}
    rng = random.Random(f"shipments:{seed}")
    now = clock.now()
    codes = next_codes("SHP", len(orders))
    shipments: list[Shipment] = []
    plans: list[tuple[Shipment, int, bool, dt.datetime]] = []
    for order, code in zip(orders, codes, strict=True):
        carrier = rng.choice(carriers)
        steps, failed = _steps(rng) if order.status == "shipped" or rng.random() < 0.2 else (len(PATH), False)
        started = min(order.placed_at + dt.timedelta(hours=rng.uniform(2, 20)), now - dt.timedelta(hours=30))
        promised = started + dt.timedelta(days=rng.choice([2, 3, 4]))
        tracking = f"{carrier.code.upper()[:3]}{rng.randint(10**8, 10**9 - 1)}"
        status = PATH[steps - 1][0] if not (failed and steps < len(PATH)) else FAILED[0]
        shipment = Shipment(
            code=code, carrier=carrier, direction=Direction.FORWARD, status=status, tracking_code=tracking,
            reference=order.code, customer=order.customer,
            recipient={"name": order.customer.full_name, "phone": order.customer.phone},
            parcel={"weight_grams": 1500, "length": 35, "width": 25, "height": 20, "value_vnd": order.total},
            booked_at=started, promised_at=promised, idempotency_key=f"demo:outbound:{carrier.code}:{tracking}",
        )  # fmt: skip
        if status != ShipmentStatus.DELIVERED and promised < now:
            shipment.late_at = promised + dt.timedelta(hours=1)
        elif status != ShipmentStatus.DELIVERED:
            shipment.late_due_at = promised
        shipments.append(shipment)
        plans.append((shipment, steps, failed, started))
    with transaction.atomic():
        Shipment.objects.bulk_create(shipments, batch_size=500)
        events, late_events = _tracking(rng, plans, now)
        TrackingEvent.objects.bulk_create(events, batch_size=2000)
        Shipment.objects.bulk_update([p[0] for p in plans], ["last_tracking_at"], batch_size=500)
        record_events(late_events)
    return {"shipping.shipment (forward)": len(shipments), "shipping.trackingevent": len(events)}


def _tracking(
    rng: random.Random, plans: list[tuple[Shipment, int, bool, dt.datetime]], now: dt.datetime
) -> tuple[list[TrackingEvent], list[dict[str, Any]]]:
    events: list[TrackingEvent] = []
    late_events: list[dict[str, Any]] = []
    for shipment, steps, failed, started in plans:
        moment = started
        path = list(PATH[:steps])
        if failed:
            path.insert(min(3, len(path)), FAILED)
            if steps == len(PATH):
                path.insert(4, (ShipmentStatus.OUT_FOR_DELIVERY, "delivering", "Giao lại lần 2"))
        for number, (status, raw, text) in enumerate(path):
            moment = min(moment + dt.timedelta(hours=rng.uniform(3, 20)), now - dt.timedelta(minutes=5))
            events.append(
                TrackingEvent(
                    shipment=shipment,
                    raw_code=raw,
                    raw_payload={"demo": True},
                    description=text,
                    mapped_status=status,
                    applied=True,
                    occurred_at=moment,
                    received_at=moment,
                    source="webhook",
                    dedupe_key=f"demo:{shipment.code}:{number}",
                )
            )
        shipment.last_tracking_at = moment
        if shipment.late_at is not None:
            payload = event_payload(shipment)
            payload["promised_at"] = shipment.promised_at.isoformat() if shipment.promised_at else None
            late_events.append(
                {
                    "name": "shipment.late",
                    "customer": shipment.customer,
                    "subject": shipment,
                    "actor_label": "system",
                    "payload": payload,
                }
            )
        if shipment.customer is None:
            continue
        if shipment.late_at is not None:
            late_events.append(care_event(shipment=shipment, problem=LATE, customer=shipment.customer))
        elif shipment.status == ShipmentStatus.FAILED:
            detail = FAILED[2]
            late_events.append(
                care_event(shipment=shipment, problem=FAILED_PROBLEM, customer=shipment.customer, detail=detail)
            )
    return events, late_events
