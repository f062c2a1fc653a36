"""Advancing returns from shipping and payment events (subscribed in ReturnsConfig.ready).

Handlers run in the scheduler tick and may see an event more than once: each one is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.events.services import record_event
from haumai.returns import conf
from haumai.returns.models import ReturnRequest, Status
from haumai.returns.services.common import clear_problem, flag_problem, lock, payload_for, refuse, transition
from haumai.returns.services.resolution import mark_refund_sent, refund_early, resolve_return

SHIPMENT_PROBLEMS = {
    "shipment.booking_failed": _("Carrier booking failed (shipping retries): %(detail)s"),
    "shipment.failed": _("Carrier reports a failed pickup: %(detail)s"),
    "shipment.cancelled": _("The carrier cancelled the pickup: %(detail)s"),
    "shipment.lost": _("The carrier reports the parcel lost: %(detail)s"),
    "shipment.returned": _("The parcel went back to the customer: %(detail)s"),
    "shipment.delayed": _("The pickup shipment is stuck: %(detail)s"),
}
# Outbound replacement shipment event -> what the return's timeline says.
REPLACEMENT_EVENTS = {
    "shipment.picked_up": "return.replacement_shipped",
    "shipment.delivered": "return.replacement_delivered",
}
REFUND_PROBLEMS = {
    "refund.failed": _("Refund failed: %(detail)s"),
    "refund.needs_attention": _("Refund needs attention: %(detail)s"),
}


def _request_for(reference: Any) -> ReturnRequest | None:
    code = str(reference or "")
    if not code.startswith("RMA-"):
        return None
    found = ReturnRequest.objects.filter(code=code).first()
    return lock(found) if found is not None else None


def _follow_stopped_parcel(request: ReturnRequest, name: str) -> None:
    """A return stopped in transit: done when the parcel is back with the customer, flagged if it arrives."""
    if name == "shipment.returned":
        clear_problem(request)
    elif name == "shipment.delivered":
        flag_problem(
            request,
            gettext("The parcel arrived at the warehouse after the return was stopped: send it back to the customer"),
        )


def _follow_replacement(event: Any, payload: dict[str, Any]) -> None:
    """The outbound shipment of an exchange's replacement moved: the customer's timeline says when it left
    and arrived; a failed, lost or returned delivery is flagged for staff (the exchange itself stands)."""
    with transaction.atomic():
        request = _request_for(payload.get("reference"))
        if request is None or request.status not in (Status.EXCHANGED, Status.CLOSED):
            return
        name = event.name
        if name in SHIPMENT_PROBLEMS:
            detail = str(payload.get("error") or payload.get("reason") or payload.get("raw_code") or name)
            problem = SHIPMENT_PROBLEMS[name] % {"detail": detail}
            flag_problem(request, gettext("Replacement delivery: %(problem)s") % {"problem": problem})
            return
        if name not in REPLACEMENT_EVENTS:
            return
        if name == "shipment.delivered":
            clear_problem(request)
        seen = Event.objects.filter(
            name=REPLACEMENT_EVENTS[name], subject_type=request._meta.label_lower, subject_id=str(request.pk)
        ).exists()
        if not seen:  # handlers may see a shipment event twice
            record_event(
                name=REPLACEMENT_EVENTS[name],
                customer=request.customer,
                subject=request,
                payload=payload_for(
                    request,
                    shipment_code=str(payload.get("shipment_code") or ""),
                    tracking_code=str(payload.get("tracking_code") or ""),
                ),
            )


def on_shipment_event(event: Any) -> None:
    """A reverse shipment of an RMA moved: picked up -> in transit, delivered -> ready for receiving."""
    payload = event.payload or {}
    if payload.get("direction", "reverse") == "forward":
        _follow_replacement(event, payload)
        return
    if payload.get("direction", "reverse") != "reverse":
        return
    with transaction.atomic():
        request = _request_for(payload.get("reference"))
        if request is None:
            return
        request.shipment_code = str(payload.get("shipment_code") or request.shipment_code)[:40]
        request.shipment_status = str(payload.get("status") or "")[:24]
        request.tracking_code = str(payload.get("tracking_code") or request.tracking_code or "")[:64]
        request.save(update_fields=["shipment_code", "shipment_status", "tracking_code", "updated_at"])
        name = event.name
        if request.status == Status.CANCELLED and request.stopped_in_transit_at is not None:
            _follow_stopped_parcel(request, name)
            return
        if request.status in (Status.CANCELLED, Status.REJECTED, Status.CLOSED):
            return  # e.g. the pickup of a cancelled return was cancelled: nothing to advance or flag
        if name in SHIPMENT_PROBLEMS:
            detail = str(payload.get("error") or payload.get("reason") or payload.get("raw_code") or name)
            flag_problem(request, SHIPMENT_PROBLEMS[name] % {"detail": detail})
            return
        if name == "shipment.booked":
            clear_problem(request)
            if request.status == Status.APPROVED:
                transition(request, Status.AWAITING_PICKUP, actor=None, shipment_code=request.shipment_code)
            return
        if name in ("shipment.picked_up", "shipment.in_transit", "shipment.out_for_delivery"):
            clear_problem(request)
            if request.status == Status.AWAITING_PICKUP:
                transition(request, Status.IN_TRANSIT, actor=None, shipment_code=request.shipment_code)
                if request.policy and request.policy.refund_on_first_scan and _trusted(request.customer):
                    refund_early(actor=None, request=request)
            return
        if name == "shipment.delivered" and request.arrived_at is None and request.status in (
            Status.AWAITING_PICKUP,
            Status.IN_TRANSIT,
        ):
            if request.status == Status.AWAITING_PICKUP:
                transition(request, Status.IN_TRANSIT, actor=None, shipment_code=request.shipment_code)
            request.arrived_at = clock.now()
            request.save(update_fields=["arrived_at", "updated_at"])
            record_event(
                name="return.arrived",
                customer=request.customer,
                subject=request,
                payload=payload_for(request, shipment_code=request.shipment_code),
            )


def _trusted(customer: Customer) -> bool:
    """A customer with enough delivered orders and no return refused before."""
    delivered = customer.orders.filter(status__in=("delivered", "completed")).count()
    refused = ReturnRequest.objects.filter(customer=customer, status=Status.REJECTED).exists()
    return delivered >= conf.trusted_customer_min_orders() and not refused


def on_refund_event(event: Any) -> None:
    """Payments reported on an RMA's refund: sent finishes the return; failures are flagged."""
    payload = event.payload or {}
    with transaction.atomic():
        request = _request_for(payload.get("reference"))
        if request is None:
            return
        code = str(payload.get("refund_code") or "")
        if request.refund_code and code and code != request.refund_code and request.status != Status.EXCHANGED:
            return  # an older attempt
        if event.name == "refund.sent":
            mark_refund_sent(request=request, actor=None, refund_code=code)
        elif event.name in REFUND_PROBLEMS:
            request.refund_status = str(payload.get("status") or event.name.split(".")[1])[:24]
            request.save(update_fields=["refund_status", "updated_at"])
            detail = str(payload.get("error") or payload.get("message") or payload.get("status") or "")
            flag_problem(request, REFUND_PROBLEMS[event.name] % {"detail": detail})


def retry_resolution(*, actor: Any, request: ReturnRequest) -> ReturnRequest:
    """Try the resolution again after a flagged failure (e.g. a refund that failed)."""
    if request.refund_code and request.refund_status != "failed":
        # Needs attention = nobody knows yet whether money moved: a second refund could pay twice.
        raise refuse(
            "refund",
            gettext(
                "Refund %(code)s is %(status)s: settle it on the refund page first (payments), never by a new refund"
            )
            % {"code": request.refund_code, "status": request.refund_status},
            "refund_pending",
        )
    return resolve_return(actor=actor, request=request)
