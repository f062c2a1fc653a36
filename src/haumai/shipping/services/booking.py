"""Booking with the carrier in the worker (retried with backoff), retry from the console, cancelling."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.events.services import record_event
from haumai.shipping import conf
from haumai.shipping.carriers import CarrierError, TrackingUpdate, adapter_for
from haumai.shipping.models import Carrier, CarrierKind, Shipment
from haumai.shipping.services.common import event_payload, schedule_stuck_check
from haumai.shipping.services.tracking import apply_update, flag_delayed
from haumai.shipping.statuses import ACTIVE, ShipmentStatus, is_final

logger = logging.getLogger(__name__)


def pending_due() -> QuerySet[Shipment]:
    """Shipments with work for the worker (no joins: the scheduler locks these rows FOR UPDATE)."""
    return Shipment.objects.filter(due_at__isnull=False)


def handle_due(shipments: Sequence[Shipment]) -> None:
    """Scheduler handler: book shipments awaiting booking, flag silent active ones as delayed."""
    carriers = {c.pk: c for c in Carrier.objects.all()}
    calls_left = conf.bookings_per_batch()
    for shipment in shipments:
        shipment.carrier = carriers[shipment.carrier_id]
        with transaction.atomic():
            if shipment.is_awaiting_booking and calls_left <= 0:
                # Carrier calls happen while this batch's rows are locked: leave the rest for the next tick.
                shipment.due_at = clock.now() + dt.timedelta(seconds=1)
                shipment.save(update_fields=["due_at", "updated_at"])
            elif shipment.is_awaiting_booking:
                calls_left -= 1
                attempt_booking(shipment)
            elif shipment.status in ACTIVE:
                flag_delayed(shipment)
            else:
                shipment.due_at = None
                shipment.save(update_fields=["due_at", "updated_at"])


def attempt_booking(shipment: Shipment) -> None:
    """Ask the carrier to take the order once; on failure retry later or give up after N attempts."""
    shipment.booking_attempts += 1
    now = clock.now()
    try:
        booking = adapter_for(shipment.carrier.code).book(shipment)
    except CarrierError as error:
        _booking_failed(shipment, str(error), retryable=error.retryable, now=now)
        return
    except Exception as error:  # a bug or an unexpected answer must not stop the tick for other rows
        logger.exception("shipping: booking %s crashed", shipment.code)
        _booking_failed(shipment, f"unexpected error: {error!r}", retryable=False, now=now)
        return
    shipment.tracking_code = booking.tracking_code
    shipment.label_url = booking.label_url
    shipment.label_text = booking.label_text
    shipment.fee = booking.fee
    shipment.status = ShipmentStatus.PICKUP_SCHEDULED
    shipment.raw_status = "booked"
    shipment.booked_at = now
    shipment.last_tracking_at = now
    shipment.booking_error = ""
    shipment.booking_failed_at = None
    schedule_stuck_check(shipment, since=now)
    shipment.save()
    record_event(
        name="shipment.booked",
        customer=shipment.customer,
        subject=shipment,
        actor_label=f"carrier:{shipment.carrier.code}",
        payload=event_payload(shipment),
    )


def _booking_failed(shipment: Shipment, message: str, *, retryable: bool, now: dt.datetime) -> None:
    attempt = shipment.booking_attempts
    shipment.booking_error = _("Attempt %(n)d at %(time)s: %(error)s") % {
        "n": attempt,
        "time": now.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y %H:%M"),
        "error": message[:1000],
    }
    if retryable and attempt < conf.max_booking_attempts():
        shipment.due_at = now + dt.timedelta(seconds=conf.booking_backoff_seconds() * 2 ** (attempt - 1))
        shipment.save(update_fields=["booking_attempts", "booking_error", "due_at", "updated_at"])
        logger.info("shipping: booking %s failed (attempt %d), retrying at %s", shipment.code, attempt, shipment.due_at)
        return
    shipment.due_at = None
    shipment.booking_failed_at = now
    shipment.save(update_fields=["booking_attempts", "booking_error", "due_at", "booking_failed_at", "updated_at"])
    payload = event_payload(shipment)
    payload.update(error=message[:500], attempts=attempt)
    record_event(
        name="shipment.booking_failed",
        customer=shipment.customer,
        subject=shipment,
        actor_label=f"carrier:{shipment.carrier.code}",
        payload=payload,
    )


def retry_booking_now(*, shipment: Shipment, actor: Any) -> Shipment:
    """Staff ask the worker to try booking again on its next tick."""
    with transaction.atomic():
        locked = Shipment.objects.select_related("customer").select_for_update(of=("self",)).get(pk=shipment.pk)
        if not locked.is_awaiting_booking:
            raise DomainError(_("This shipment is already booked or closed."), code="not_awaiting_booking", status=409)
        locked.due_at = clock.now()
        locked.booking_failed_at = None
        locked.save(update_fields=["due_at", "booking_failed_at", "updated_at"])
        record_event(
            name="shipment.booking_retried",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"shipment_code": locked.code, "attempts_so_far": locked.booking_attempts},
        )
    return locked


def cancel_shipment(*, shipment: Shipment, actor: Any, reason: str = "") -> Shipment:
    """Cancel a shipment; a booked carrier order is cancelled with the carrier first (it may refuse)."""
    if len(reason) > 255:
        raise DomainError(_("The reason is longer than 255 characters."))
    with transaction.atomic():
        locked = (
            Shipment.objects.select_related("carrier", "customer").select_for_update(of=("self",)).get(pk=shipment.pk)
        )
        if is_final(locked.status):
            raise DomainError(
                _("A shipment that is '%(status)s' cannot be cancelled.") % {"status": locked.get_status_display()},
                code="final_state",
                status=409,
            )
        if locked.carrier.kind == CarrierKind.API and locked.tracking_code:
            try:
                adapter_for(locked.carrier.code).cancel(locked)
            except CarrierError as error:
                raise DomainError(
                    _("The carrier did not cancel the order: %(error)s") % {"error": error},
                    code="carrier_refused",
                    status=502,
                ) from error
        now = clock.now()
        update = TrackingUpdate(
            carrier_code=locked.carrier.code,
            tracking_code=locked.tracking_code,
            raw_code="cancelled_by_staff",
            occurred_at=now,
            dedupe_key=f"cancel:{locked.code}",
            mapped_status=ShipmentStatus.CANCELLED,
            description=reason,
            raw_payload={"by": getattr(actor, "username", ""), "reason": reason},
        )
        apply_update(shipment=locked, update=update, source="staff", actor=actor)
        locked.due_at = None
        locked.save(update_fields=["due_at", "updated_at"])
    return locked
