"""Lateness against the promised delivery date: a shipment not delivered by then gets `shipment.late`, once.

The promise comes with the order push (`delivery.promised_at`) or a registration of an outside delivery.
`late_due_at` holds the moment to look (the promise); the scheduler source `shipping.late` claims due rows
in batches (skip-locked on PostgreSQL, so several workers never flag one twice) and clears it either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.shipping.models import Carrier, Shipment
from haumai.shipping.services.care import LATE, flag_delivery_problem
from haumai.shipping.services.common import event_payload
from haumai.shipping.statuses import FINAL

# A promise further out than this is a typo (a year instead of a day), not a delivery date.
MAX_PROMISE = dt.timedelta(days=120)


def check_promise(promised_at: dt.datetime | None, *, field: str = "promised_at") -> None:
    """Refuse a promised date without a time zone or absurdly far from now."""
    if promised_at is None:
        return
    if promised_at.tzinfo is None:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    field, _("Give the promised date with its time zone, e.g. 2026-12-05T17:00:00+07:00"), "naive"
                )
            ],
        )
    if abs(promised_at - clock.now()) > MAX_PROMISE:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError(field, _("The promised delivery date is more than 120 days from now"), "far_from_now")],
        )


def set_promise(shipment: Shipment, promised_at: dt.datetime | None) -> None:
    """Store the promise on an unsaved or locked shipment and schedule the lateness check (the caller saves)."""
    shipment.promised_at = promised_at
    shipment.late_due_at = promised_at if promised_at is not None and shipment.late_at is None else None


def pending_late() -> QuerySet[Shipment]:
    """Shipments whose promised date is due for a look (no joins: the scheduler locks these rows)."""
    return Shipment.objects.filter(late_due_at__isnull=False)


def handle_late(shipments: Sequence[Shipment]) -> None:
    """Scheduler handler: flag every claimed shipment that is still not delivered as late."""
    from haumai.customers.models import Customer

    now = clock.now()
    carriers = {c.pk: c for c in Carrier.objects.all()}
    customers = {c.pk: c for c in Customer.objects.filter(pk__in={s.customer_id for s in shipments if s.customer_id})}
    for shipment in shipments:
        shipment.late_due_at = None
        if shipment.status in FINAL or shipment.late_at is not None:
            shipment.save(update_fields=["late_due_at", "updated_at"])
            continue
        shipment.late_at = now
        shipment.carrier = carriers[shipment.carrier_id]
        shipment.save(update_fields=["late_due_at", "late_at", "updated_at"])
        payload: dict[str, Any] = event_payload(shipment)
        payload["promised_at"] = shipment.promised_at.isoformat() if shipment.promised_at else None
        payload["hours_late"] = int((now - shipment.promised_at) / dt.timedelta(hours=1)) if shipment.promised_at else 0
        customer = customers.get(shipment.customer_id) if shipment.customer_id else None
        record_event(name="shipment.late", customer=customer, subject=shipment, actor_label="system", payload=payload)
        hours = payload["hours_late"]
        flag_delivery_problem(shipment=shipment, problem=LATE, customer=customer, detail=f"{hours} h")
