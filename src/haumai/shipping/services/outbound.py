"""Deliveries the retailer booked itself: an order's forward shipment registered by carrier + tracking code,
so the carrier's webhooks update it, stuck detection watches it and the customer follows it in the portal.

One tracking code belongs to one shipment per carrier (a partial unique constraint; parallel registrations
of one code for two orders: one wins, the other is told which order has it). Registering the same code
for the same order again answers with the shipment already there and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock, codes
from haumai.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from haumai.events.services import record_event
from haumai.sales import selectors as sales_selectors
from haumai.shipping.models import Carrier, CarrierKind, Direction, Shipment
from haumai.shipping.services.common import event_payload, schedule_stuck_check
from haumai.shipping.services.lateness import check_promise, set_promise
from haumai.shipping.statuses import ShipmentStatus

TRACKING_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,59}$")
CLOSED_ORDER_STATUSES = ("cancelled",)


@dataclass(frozen=True)
class Registered:
    """The order's shipment and whether this call created it (False: it was already registered)."""

    shipment: Shipment
    created: bool


def _invalid(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(_("The delivery could not be registered."), [FieldError(field, message, code)])


def _clean(order_code: str, carrier_code: str, tracking_code: str) -> tuple[Any, Carrier, str]:
    tracking = (tracking_code or "").strip()
    if not TRACKING_CODE.match(tracking):
        message = _("A tracking code is 3 to 60 letters, digits, dots, dashes or underscores.")
        raise _invalid("tracking_code", message, "invalid")
    carrier = Carrier.objects.filter(code=(carrier_code or "").strip()).first()
    if carrier is None or carrier.kind != CarrierKind.API:
        raise _invalid("carrier", _("Unknown carrier '%(code)s'.") % {"code": carrier_code}, "unknown_carrier")
    if not carrier.is_active:
        raise _invalid("carrier", _("Carrier '%(code)s' is switched off.") % {"code": carrier_code}, "carrier_off")
    try:
        order = sales_selectors.order_by_code(order_code or "")
    except NotFound:
        raise _invalid("order", _("No order with code %(code)s") % {"code": order_code}, "unknown_order") from None
    if order.status in CLOSED_ORDER_STATUSES:
        raise _invalid("order", _("Order %(code)s is cancelled.") % {"code": order.code}, "order_cancelled")
    return order, carrier, tracking


def _existing(carrier: Carrier, tracking: str, order: Any) -> Shipment | None:
    found = Shipment.objects.select_related("carrier").filter(carrier=carrier, tracking_code=tracking).first()
    if found is None:
        return None
    if found.direction != Direction.FORWARD or found.reference != order.code:
        raise Conflict(
            _("Tracking code %(tracking)s of %(carrier)s is already used by %(reference)s.")
            % {"tracking": tracking, "carrier": carrier.name, "reference": found.reference},
            code="tracking_code_taken",
        )
    return found


def _require(actor: Any) -> None:
    permission = "shipping.add_shipment"
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": permission})


def register_outbound(
    *, actor: Any, order_code: str, carrier_code: str, tracking_code: str, promised_at: dt.datetime | None = None
) -> Registered:
    """Register the forward shipment of an order booked outside Haumai (idempotent per carrier + code).

    With `promised_at` (the delivery date promised to the customer), lateness is watched too.
    """
    _require(actor)
    return _register(
        actor=actor, order_code=order_code, carrier_code=carrier_code, tracking_code=tracking_code,
        promised_at=promised_at,
    )  # fmt: skip


def register_imported_deliveries(*, actor: Any, deliveries: list[tuple[str, str, str]]) -> int:
    """Register the deliveries of imported orders, (order code, carrier, tracking code) each, as the API would.

    The file was checked beforehand (known carrier, code not used by another order), so a refusal here means
    something changed meanwhile and rolls the import back. The import's own permission covers the shipments;
    `actor` may be None (the command line). Returns how many shipments were created.
    """
    created = 0
    for order_code, carrier_code, tracking_code in deliveries:
        registered = _register(
            actor=actor, order_code=order_code, carrier_code=carrier_code, tracking_code=tracking_code
        )
        created += registered.created
    return created


def _register(
    *, actor: Any, order_code: str, carrier_code: str, tracking_code: str, promised_at: dt.datetime | None = None
) -> Registered:
    check_promise(promised_at)
    order, carrier, tracking = _clean(order_code, carrier_code, tracking_code)
    found = _existing(carrier, tracking, order)
    if found is not None:
        return Registered(found, created=False)
    recipient = {"name": order.customer.full_name, "phone": order.customer.phone}
    try:
        with transaction.atomic():
            now = clock.now()
            shipment = Shipment(
                code=codes.next_code("SHP"), carrier=carrier, direction=Direction.FORWARD,
                status=ShipmentStatus.PICKUP_SCHEDULED, tracking_code=tracking, reference=order.code,
                customer=order.customer, recipient=recipient, booked_at=now,
                idempotency_key=f"outbound:{carrier.code}:{tracking}",
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )  # fmt: skip
            schedule_stuck_check(shipment, since=now)
            set_promise(shipment, promised_at)
            shipment.save()
            record_event(
                name="shipment.created", customer=order.customer, subject=shipment, actor=actor,
                payload=event_payload(shipment),
            )  # fmt: skip
    except IntegrityError:
        # A parallel registration of the same code won: answer as if it had been first.
        found = _existing(carrier, tracking, order)
        if found is None:
            raise
        return Registered(found, created=False)
    return Registered(shipment, created=True)


@dataclass(frozen=True)
class DeliveryInput:
    """The delivery that came with an order push: the carrier that has the parcel, its code, the promise."""

    carrier: str
    tracking_code: str
    promised_at: dt.datetime | None = None


def push_order_with_delivery(
    *, actor: Any, push: Callable[[], tuple[Any, bool]], delivery: DeliveryInput, signed: bool = False
) -> tuple[Any, bool, Registered]:
    """Store an order (`push`, e.g. sales.services.upsert_order) and register its delivery, all or nothing.

    A tracking code already used by another order, an unknown carrier or a bad promise refuses the whole
    push: the order is not stored either, so a retried push with the right code is a first push. `signed`:
    the caller is a system whose request signature was checked (the order webhook), not a staff member, so
    no permission is asked of `actor` (None).
    """
    if not signed:
        _require(actor)
    check_promise(delivery.promised_at, field="delivery.promised_at")
    if not TRACKING_CODE.match((delivery.tracking_code or "").strip()):
        message = _("A tracking code is 3 to 60 letters, digits, dots, dashes or underscores.")
        raise _invalid("delivery.tracking_code", message, "invalid")
    with transaction.atomic():
        order, created = push()
        registered = _register(
            actor=actor, order_code=order.code, carrier_code=delivery.carrier,
            tracking_code=delivery.tracking_code, promised_at=delivery.promised_at,
        )  # fmt: skip
    return order, created, registered
