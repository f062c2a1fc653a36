"""Demo deliveries: forward shipments of the last 60 days' delivered orders, with carrier tracking history, so the
carrier figures (pickup and delivery on time, lost, stuck) have data. Bulk inserts written as history: the
`shipment.delayed` events are already dispatched (no journey or webhook fires for them). The demo seed then refreshes
the KPI rollups of those days (after the support demo, so its tickets are counted too).

Outcomes per carrier differ a little (a faster and a slower one): about 88 % picked up within the 24-hour window,
3 % lost, 6 % stuck for two days before delivery.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.shipping.models import Carrier, CarrierKind, Direction, Shipment, TrackingEvent
from haumai.shipping.statuses import ShipmentStatus

DAYS = 60
MAX_SHIPMENTS = 400
HOUR = dt.timedelta(hours=1)
# (carrier code, share of late pickups, share lost, share stuck, delivery days low-high)
PROFILES = {
    "ghn": (0.08, 0.02, 0.05, (1.0, 3.0)),
    "ghtk": (0.12, 0.03, 0.07, (1.5, 4.5)),
    "viettel_post": (0.10, 0.02, 0.06, (2.0, 5.0)),
    "jt": (0.16, 0.05, 0.08, (1.5, 5.5)),
}


def _party(customer: Any, address: Any) -> dict[str, Any]:
    return {
        "name": customer.full_name, "phone": customer.phone or "", "street": address.street if address else "",
        "province_code": address.province_id if address else None,
        "province_name": address.province.name if address else "",
    }  # fmt: skip


def seed_shipping(*, seed: int = 11) -> dict[str, int]:
    """Create the demo deliveries once (skipped when shipments exist or nothing was delivered lately)."""
    from haumai.customers.models import Address
    from haumai.events.models import Event
    from haumai.sales.models import Order

    if Shipment.objects.exists():
        return {}
    now = clock.now()
    carriers = {c.code: c for c in Carrier.objects.filter(code__in=PROFILES, kind=CarrierKind.API)}
    orders = list(
        Order.objects.filter(placed_at__gte=now - dt.timedelta(days=DAYS), status__in=("delivered", "completed"))
        .select_related("customer")
        .order_by("id")[:MAX_SHIPMENTS]
    )
    if not orders or not carriers:
        return {}
    addresses: dict[int, Any] = {}
    for address in Address.objects.filter(customer_id__in={o.customer_id for o in orders}).select_related("province"):
        addresses.setdefault(address.customer_id, address)
    rng = random.Random(seed)
    codes = next_codes("SHP", len(orders))
    shop = {"name": "Sao Việt", "province_name": "Thành phố Hà Nội"}
    shipments, plans = [], []
    for order, code in zip(orders, codes, strict=True):
        carrier_code = rng.choice(sorted(carriers))
        late, lost, stuck, (low, high) = PROFILES[carrier_code]
        created = order.placed_at + HOUR * rng.uniform(0.5, 6)
        window_end = created + 24 * HOUR
        picked = created + HOUR * (rng.uniform(26, 40) if rng.random() < late else rng.uniform(2, 20))
        fate = "lost" if rng.random() < lost else "stuck" if rng.random() < stuck else "delivered"
        delivered = picked + dt.timedelta(days=rng.uniform(low, high) + (2 if fate == "stuck" else 0))
        status = ShipmentStatus.LOST if fate == "lost" else ShipmentStatus.DELIVERED
        if delivered > now:  # still on its way
            status, fate = ShipmentStatus.IN_TRANSIT, "moving"
        if picked > now:
            continue
        shipments.append(Shipment(
            code=code, carrier=carriers[carrier_code], direction=Direction.FORWARD, status=status,
            raw_status=status, tracking_code=f"DEMO{code[-10:].replace('-', '')}", reference=order.code,
            customer=order.customer, sender=shop, recipient=_party(order.customer, addresses.get(order.customer_id)),
            pickup_from=created, pickup_until=window_end, booked_at=created, last_tracking_at=min(delivered, now),
            idempotency_key=f"demo:{order.code}",
        ))  # fmt: skip
        plans.append((created, picked, delivered, fate))
    with transaction.atomic():
        Shipment.objects.bulk_create(shipments, batch_size=500)
        saved = {s.code: s for s in Shipment.objects.filter(code__in=[s.code for s in shipments])}
        events, delays = [], []
        for shipment, (created, picked, delivered, fate) in zip(shipments, plans, strict=True):
            row = saved[shipment.code]
            steps = [(picked, ShipmentStatus.PICKED_UP), (picked + 6 * HOUR, ShipmentStatus.IN_TRANSIT)]
            if fate == "delivered" or fate == "stuck":
                steps.append((delivered, ShipmentStatus.DELIVERED))
            elif fate == "lost":
                steps.append((delivered + dt.timedelta(days=2), ShipmentStatus.LOST))
            for n, (at, status) in enumerate(s for s in steps if s[0] <= now):
                events.append(TrackingEvent(
                    shipment=row, raw_code=status, mapped_status=status, applied=True, occurred_at=at, received_at=at,
                    source="webhook", dedupe_key=f"demo:{row.code}:{n}", description=str(ShipmentStatus(status).label),
                ))  # fmt: skip
            if fate == "stuck" and picked + 54 * HOUR <= now:
                delays.append(Event(
                    name="shipment.delayed", occurred_at=picked + 54 * HOUR, customer=row.customer,
                    subject_type="shipping.shipment", subject_id=str(row.pk), actor_label="system",
                    payload={"code": row.code, "hours_without_update": 48}, dispatched_at=picked + 54 * HOUR,
                ))  # fmt: skip
            last_report = max((at for at, _status in steps if at <= now), default=created)
            Shipment.objects.filter(pk=row.pk).update(created_at=created, updated_at=min(max(last_report, picked), now))
        TrackingEvent.objects.bulk_create(events, batch_size=1000)
        Event.objects.bulk_create(delays, batch_size=500)
    return {"shipping.shipment": len(shipments), "shipping.trackingevent": len(events), "shipping.delayed": len(delays)}

