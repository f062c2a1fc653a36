"""Deciding on a return: approve (then book the pickup or issue the drop-off code), reject, cancel."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, DomainError
from haumai.returns import logistics
from haumai.returns.models import Logistics, ReturnRequest, Status
from haumai.returns.services.common import (
    BEFORE_RECEIPT,
    CUSTOMER_CANCELLABLE,
    clear_problem,
    flag_problem,
    lock,
    new_short_code,
    refund_started,
    refuse,
    transition,
)
from haumai.returns.services.creation import check_goodwill


def approve_return(*, actor: Any, request: ReturnRequest, note: str = "") -> ReturnRequest:
    """Approve a requested return and schedule the pickup or issue the drop-off code.

    Lines accepted outside the policy count against the approver's goodwill limit. Approving an
    approved return changes nothing.
    """
    with transaction.atomic():
        locked = lock(request)
        if locked.status != Status.REQUESTED:
            if locked.status in (Status.APPROVED, Status.AWAITING_PICKUP, Status.AWAITING_DROPOFF):
                return locked
            transition(locked, Status.APPROVED, actor=actor)  # raises the clear invalid-transition error
        if actor is not None:
            goodwill = sum(line.value for line in locked.lines.all() if line.overridden)
            if goodwill:
                check_goodwill(actor, goodwill)
        locked.decision_note = note.strip()[:2000]
        locked.dropoff_code = new_short_code()
        locked.save(update_fields=["decision_note", "dropoff_code", "updated_at"])
        transition(locked, Status.APPROVED, actor=actor, note=locked.decision_note, dropoff_code=locked.dropoff_code)
        if locked.logistics == Logistics.STORE_DROPOFF:
            transition(locked, Status.AWAITING_DROPOFF, actor=actor, dropoff_code=locked.dropoff_code)
        else:
            _book_pickup(locked, actor)
    return locked


def _book_pickup(request: ReturnRequest, actor: Any) -> None:
    """Create the reverse shipment in a savepoint; a refusal leaves the return approved and flagged."""
    try:
        with transaction.atomic():
            shipment = logistics.book_reverse_shipment(request=request, actor=actor)
    except DomainError as exc:
        details = "; ".join(f"{error.field}: {error.message}" for error in exc.errors)
        message = f"{exc.message} ({details})" if details else exc.message
        flag_problem(request, _("Pickup not booked: %(error)s") % {"error": message})
        return
    request.shipment_code = str(getattr(shipment, "code", "") or "")
    request.shipment_status = str(getattr(shipment, "status", "") or "")
    request.tracking_code = str(getattr(shipment, "tracking_code", "") or "")
    request.save(update_fields=["shipment_code", "shipment_status", "tracking_code", "updated_at"])
    clear_problem(request)
    transition(
        request,
        Status.AWAITING_PICKUP,
        actor=actor,
        shipment_code=request.shipment_code,
        carrier=request.carrier_code or logistics.OWN_FLEET,
    )


def retry_pickup_booking(*, actor: Any, request: ReturnRequest) -> ReturnRequest:
    """Book the pickup again for an approved return whose booking was refused."""
    with transaction.atomic():
        locked = lock(request)
        if locked.status != Status.APPROVED or locked.logistics == Logistics.STORE_DROPOFF:
            raise refuse("status", _("Only an approved pickup return without a booking can be booked again"))
        _book_pickup(locked, actor)
    return locked


def reject_return(*, actor: Any, request: ReturnRequest, note: str) -> ReturnRequest:
    """Refuse a requested return; the customer is told why (the note is required)."""
    if not note.strip():
        raise refuse("note", _("Say why the return is refused; the customer will read it"), "required")
    with transaction.atomic():
        locked = lock(request)
        if locked.status == Status.REJECTED:
            return locked
        locked.decision_note = note.strip()[:2000]
        transition(locked, Status.REJECTED, actor=actor, note=locked.decision_note)
        locked.save(update_fields=["decision_note", "updated_at"])
    return locked


def cancel_return(*, actor: Any, request: ReturnRequest, note: str = "", actor_label: str = "") -> ReturnRequest:
    """Cancel a return before it is received; cancels the pickup if booked.

    The customer (actor_label "customer") may cancel only before the parcel is handed to the carrier.
    Once it is in transit, stopping the return is a staff decision: the return is cancelled and the
    parcel goes back to the customer (the shipment is not cancelled: the carrier has it). Nothing is
    cancelled after a refund was sent.
    """
    by_customer = actor_label == "customer"
    with transaction.atomic():
        locked = lock(request)
        if locked.status == Status.CANCELLED:
            return locked
        if refund_started(locked):
            raise Conflict(
                _("Return %(code)s cannot be cancelled: the refund %(refund)s was already sent.")
                % {"code": locked.code, "refund": locked.refund_code or _("(sent)")},
                code="refund_sent",
            )
        if locked.status not in BEFORE_RECEIPT:
            transition(locked, Status.CANCELLED, actor=actor)  # the clear invalid-transition error
        in_transit = locked.status not in CUSTOMER_CANCELLABLE
        if in_transit and by_customer:
            raise Conflict(
                _(
                    "Return %(code)s is already with the carrier and can no longer be cancelled here. "
                    "Contact us and we will have the parcel brought back to you."
                )
                % {"code": locked.code},
                code="handed_to_carrier",
            )
        locked.decision_note = note.strip()[:2000] or locked.decision_note
        locked.save(update_fields=["decision_note", "updated_at"])
        extra = {"parcel": "back_to_customer"} if in_transit else {}
        transition(locked, Status.CANCELLED, actor=actor, actor_label=actor_label, note=note.strip()[:2000], **extra)
        if in_transit:
            locked.stopped_in_transit_at = clock.now()
            locked.save(update_fields=["stopped_in_transit_at", "updated_at"])
            flag_problem(
                locked,
                _("Stopped in transit: ask the carrier to bring parcel %(code)s back to the customer")
                % {"code": locked.shipment_code or locked.code},
            )
        elif locked.shipment_code and not logistics.cancel_shipment(request=locked, actor=actor):
            flag_problem(
                locked,
                _("The pickup %(code)s could not be cancelled automatically: cancel it with the carrier")
                % {"code": locked.shipment_code},
            )
    return locked
