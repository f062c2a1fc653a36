"""Tracking: apply carrier and staff status reports (idempotent, never backwards) and stuck detection."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError, ValidationFailed
from haumai.core.errors import FieldError as Field
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.shipping import conf
from haumai.shipping.carriers import TrackingUpdate
from haumai.shipping.models import Carrier, CarrierKind, Shipment, TrackingEvent
from haumai.shipping.services.care import STATUS_PROBLEMS, STUCK, flag_delivery_problem
from haumai.shipping.services.common import event_payload, schedule_stuck_check
from haumai.shipping.statuses import ACTIVE, ShipmentStatus, can_move, same_rank

logger = logging.getLogger(__name__)

APPLIED = "applied"  # stored and moved the shipment
RECORDED = "recorded"  # stored, but out of order or not a status we map
DUPLICATE = "duplicate"  # seen before: nothing changed
UNKNOWN_SHIPMENT = "unknown_shipment"  # no shipment with this tracking code

# Statuses whose arrival is an event of its own (pickup_scheduled is announced by shipment.booked).
EVENT_STATUSES = frozenset(
    {
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.FAILED,
        ShipmentStatus.RETURNED,
        ShipmentStatus.CANCELLED,
        ShipmentStatus.LOST,
    }
)


def ingest_tracking_updates(*, carrier_code: str, updates: list[TrackingUpdate]) -> list[str]:
    """Apply the updates of one webhook delivery; return one outcome per update (applied, duplicate ...)."""
    return [_ingest(carrier_code, update) for update in updates]


def _ingest(carrier_code: str, update: TrackingUpdate) -> str:
    # Replays are common (carriers retry on any hiccup): answer them with one indexed read, no lock.
    if TrackingEvent.objects.filter(dedupe_key=update.dedupe_key).exists():
        return DUPLICATE
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and conf.webhook_asynchronous_commit():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            shipment = _locked_shipment(carrier_code, update)
            if shipment is None:
                logger.warning("shipping: %s webhook for unknown order %s", carrier_code, update.tracking_code)
                return UNKNOWN_SHIPMENT
            return apply_update(shipment=shipment, update=update, source="webhook", actor=None)
    except IntegrityError:
        # The same report raced in on another connection and won: a replay.
        return DUPLICATE


_carriers_by_code: dict[str, Carrier] = {}


def _carrier(code: str) -> Carrier | None:
    """Carriers change almost never: keep them per process (webhooks are the hot path)."""
    carrier = _carriers_by_code.get(code)
    if carrier is None:
        carrier = Carrier.objects.filter(code=code).first()
        if carrier is not None:
            _carriers_by_code[code] = carrier
    return carrier


def _locked_shipment(carrier_code: str, update: TrackingUpdate) -> Shipment | None:
    cached = carrier_code in _carriers_by_code
    carrier = _carrier(carrier_code)
    if carrier is None:
        return None
    # One table, one index, no ORDER BY: the lock query is the hottest statement of webhook ingestion.
    rows = Shipment.objects.select_for_update()
    found = list(rows.filter(carrier_id=carrier.pk, tracking_code=update.tracking_code)[:1])
    if not found and update.shipment_code:
        found = list(rows.filter(carrier_id=carrier.pk, code=update.shipment_code)[:1])
    if not found:
        if cached:  # the cached carrier row may be stale (e.g. re-created): look once more with a fresh one
            _carriers_by_code.pop(carrier_code, None)
            return _locked_shipment(carrier_code, update)
        return None
    shipment = found[0]
    shipment.carrier = carrier
    return shipment


def apply_update(*, shipment: Shipment, update: TrackingUpdate, source: str, actor: Any) -> str:
    """Store one report on a locked shipment and move it forward when the report is newer news.

    A report whose dedupe key is already stored raises IntegrityError (unique key): callers roll back.
    """
    now = clock.now()
    refusal = _refusal(shipment, update, now)
    applied = (
        refusal is None
        and update.mapped_status is not None
        and can_move(shipment.status, update.mapped_status)
        and (not same_rank(shipment.status, update.mapped_status) or _newer_than_status(shipment, update))
    )
    TrackingEvent.objects.create(
        shipment=shipment,
        raw_code=update.raw_code[:80],
        raw_payload=update.raw_payload,
        description=update.description[:255],
        mapped_status=update.mapped_status or "",
        applied=applied,
        occurred_at=update.occurred_at,
        received_at=now,
        source=source,
        dedupe_key=update.dedupe_key,
    )
    if update.mapped_status is None:
        logger.warning(
            "shipping: kept unmapped %s status %r for %s", update.carrier_code, update.raw_code, shipment.code
        )
    if refusal is not None:
        logger.warning("shipping: kept but did not apply a %s report for %s: %s", update.carrier_code, shipment.code,
                       refusal)  # fmt: skip
    fields = ["updated_at"]
    if refusal is None and (shipment.last_tracking_at is None or update.occurred_at > shipment.last_tracking_at):
        shipment.last_tracking_at = update.occurred_at
        shipment.delayed_at = None
        fields += ["last_tracking_at", "delayed_at"]
    if applied:
        assert update.mapped_status is not None
        shipment.status = update.mapped_status
        shipment.raw_status = update.raw_code[:80]
        fields += ["status", "raw_status"]
    if "delayed_at" in fields or applied:
        schedule_stuck_check(shipment, since=now)
        fields.append("due_at")
    shipment.save(update_fields=fields)
    if applied and shipment.status in EVENT_STATUSES:
        record_event(
            name=f"shipment.{shipment.status}",
            customer=_customer_of(shipment),
            subject=shipment,
            actor=actor,
            actor_label="" if actor else f"carrier:{shipment.carrier.code}",
            payload=event_payload(shipment, raw_code=update.raw_code),
        )
        problem = STATUS_PROBLEMS.get(ShipmentStatus(shipment.status))
        if problem is not None:
            flag_delivery_problem(
                shipment=shipment, problem=problem, customer=_customer_of(shipment), detail=update.description
            )
    return APPLIED if applied else RECORDED


def _refusal(shipment: Shipment, update: TrackingUpdate, now: dt.datetime) -> str | None:
    """Why a report must not move the shipment (it is kept either way), or None."""
    if update.tracking_code and shipment.tracking_code and update.tracking_code != shipment.tracking_code:
        # Found by our code (the carrier's client order code), but about another carrier order.
        return f"carrier order {update.tracking_code!r} is not this shipment's {shipment.tracking_code!r}"
    if update.occurred_at > now + dt.timedelta(hours=conf.report_future_tolerance_hours()):
        return f"report time {update.occurred_at.isoformat()} is in the future"
    created = shipment.created_at or now
    if update.occurred_at < created - dt.timedelta(days=conf.report_past_tolerance_days()):
        return f"report time {update.occurred_at.isoformat()} is long before the shipment was created"
    return None


def _newer_than_status(shipment: Shipment, update: TrackingUpdate) -> bool:
    """True when the report is newer than the report that set the current status."""
    since = (
        TrackingEvent.objects.filter(shipment=shipment, applied=True)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return since is None or update.occurred_at > since


def _customer_of(shipment: Shipment) -> Customer | None:
    """The event's customer without loading the row (the event only stores the key)."""
    if shipment.customer_id is None:
        return None
    if Shipment.customer.is_cached(shipment):
        return shipment.customer
    return Customer(pk=shipment.customer_id)


STAFF_STATUSES = (
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.FAILED,
    ShipmentStatus.RETURNED,
    ShipmentStatus.LOST,
)


def update_fleet_status(*, shipment: Shipment, status: str, actor: Any, note: str = "") -> Shipment:
    """Own-fleet staff report where the parcel is (picked up, delivered to the warehouse ...)."""
    if shipment.carrier.kind != CarrierKind.OWN_FLEET:
        raise DomainError(_("Only own-fleet shipments are updated by staff; carriers report by webhook."))
    if status not in STAFF_STATUSES:
        raise ValidationFailed(_("Choose a valid status."), [Field("status", _("Choose a valid status."))])
    return _staff_update(shipment=shipment, status=status, raw_code=f"staff:{status}", actor=actor, note=note)


def mark_received_at_store(*, shipment: Shipment, actor: Any, note: str = "") -> Shipment:
    """The customer dropped the parcel off at a store: the shipment is delivered."""
    if shipment.carrier.kind != CarrierKind.DROPOFF:
        raise DomainError(_("Only drop-off shipments are received at a store."))
    return _staff_update(
        shipment=shipment, status=ShipmentStatus.DELIVERED, raw_code="received_at_store", actor=actor, note=note
    )


def _staff_update(*, shipment: Shipment, status: str, raw_code: str, actor: Any, note: str) -> Shipment:
    if len(note) > 255:
        raise ValidationFailed(_("The note is too long."), [Field("note", _("At most 255 characters."))])
    with transaction.atomic():
        locked = (
            Shipment.objects.select_related("carrier", "customer").select_for_update(of=("self",)).get(pk=shipment.pk)
        )
        if not can_move(locked.status, status):
            raise ValidationFailed(
                _("A shipment that is '%(current)s' cannot become '%(new)s'.")
                % {"current": locked.get_status_display(), "new": ShipmentStatus(status).label},
                [Field("status", _("This would move the shipment backwards or out of a final state."))],
            )
        now = clock.now()
        update = TrackingUpdate(
            carrier_code=locked.carrier.code,
            tracking_code=locked.tracking_code,
            raw_code=raw_code,
            occurred_at=now,
            dedupe_key=f"staff:{locked.code}:{uuid.uuid4().hex}",
            mapped_status=status,
            description=note,
            raw_payload={"by": getattr(actor, "username", ""), "note": note},
        )
        apply_update(shipment=locked, update=update, source="staff", actor=actor)
    return locked


def flag_delayed(shipment: Shipment) -> None:
    """Stuck detection: an active shipment heard nothing for N hours -> `shipment.delayed`, once per silence."""
    if shipment.status not in ACTIVE or shipment.delayed_at is not None:
        shipment.due_at = None
        shipment.save(update_fields=["due_at", "updated_at"])
        return
    now = clock.now()
    silent_since = shipment.last_tracking_at or shipment.booked_at or shipment.created_at
    shipment.delayed_at = now
    shipment.due_at = None
    shipment.save(update_fields=["delayed_at", "due_at", "updated_at"])
    payload = event_payload(shipment)
    payload["hours_without_update"] = int((now - silent_since) / dt.timedelta(hours=1))
    record_event(
        name="shipment.delayed", customer=shipment.customer, subject=shipment, actor_label="system", payload=payload
    )
    hours = payload["hours_without_update"]
    flag_delivery_problem(shipment=shipment, problem=STUCK, customer=shipment.customer, detail=f"{hours} h")
