"""Console pages of shipping: list, detail with the tracking timeline, failed bookings, staff actions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.accounts.selectors import can_see_pii, shown_phone
from haumai.console.timeline import build_timeline
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.events.selectors import event_list
from haumai.privacy import audit
from haumai.shipping import sandbox, selectors, services
from haumai.shipping.models import CarrierKind, Shipment
from haumai.shipping.services import redelivery
from haumai.shipping.statuses import ShipmentStatus, can_move, is_final

SUBJECT_TYPE = "shipping.shipment"  # Event.subject_type of a shipment (its model's label)

PAGE_SIZE = 25
LIVE_POLL_SECONDS = 3


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
@require_GET
def shipment_index(request: HttpRequest) -> HttpResponse:
    """Shipments newest first, filtered by status, carrier and reference; no full-table count."""
    status = request.GET.get("status", "")
    status = status if status in ShipmentStatus.values else ""
    carriers = selectors.carriers()
    carrier = request.GET.get("carrier", "")
    carrier = carrier if carrier in {c.code for c in carriers} else ""
    reference = request.GET.get("reference", "").strip()[:40]
    page = page_number(request)
    shipments, has_next = page_of(
        selectors.shipment_list(status=status, carrier=carrier, reference=reference), page, PAGE_SIZE
    )
    context = {
        "shipments": shipments,
        "statuses": ShipmentStatus.choices,
        "carriers": carriers,
        "status": status,
        "carrier": carrier,
        "reference": reference,
        "page": page,
        "has_next": has_next,
        "failed_count": selectors.failed_booking_count(),
    }
    return render(request, "shipping/list.html", context)


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
@require_GET
def failed_bookings(request: HttpRequest) -> HttpResponse:
    """Shipments whose booking gave up: the error the carrier gave, and a 'retry now' button."""
    page = page_number(request)
    shipments, has_next = page_of(selectors.shipment_list(booking_failed=True), page, PAGE_SIZE)
    context = {"shipments": shipments, "page": page, "has_next": has_next}
    return render(request, "shipping/failed.html", context)


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
@require_GET
def shipment_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One shipment: parties, parcel, label, booking state and the tracking timeline with raw codes."""
    try:
        shipment = selectors.shipment_detail(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    pii = can_see_pii(request.user)
    can_change = request.user.has_perm("shipping.change_shipment")
    fleet_statuses = [
        (value, ShipmentStatus(value).label) for value in services.STAFF_STATUSES if can_move(shipment.status, value)
    ]
    context = {
        "shipment": shipment,
        "tracking_events": list(shipment.tracking_events.all()),
        "timeline_days": build_timeline(
            event_list(subject_type=SUBJECT_TYPE, subject_id=str(shipment.pk)).order_by("occurred_at", "id"),
            user=request.user,
            customer=shipment.customer,
        ),
        "pii": pii,
        "sender_phone": shown_phone(request.user, shipment.sender.get("phone")),
        "recipient_phone": shown_phone(request.user, shipment.recipient.get("phone")),
        "can_change": can_change,
        "can_retry": can_change and shipment.is_awaiting_booking and shipment.due_at is None,
        "can_cancel": can_change and not is_final(shipment.status),
        "fleet_statuses": fleet_statuses if can_change and shipment.carrier.kind == CarrierKind.OWN_FLEET else [],
        "can_receive": can_change
        and shipment.carrier.kind == CarrierKind.DROPOFF
        and can_move(shipment.status, ShipmentStatus.DELIVERED),
        "sandbox_steps": sandbox.next_steps(shipment) if can_change else [],
        **_redelivery_context(request, shipment),
        **_live_context(shipment, last_event_id=max((e.pk for e in shipment.tracking_events.all()), default=None)),
    }
    if shipment.customer is not None:
        audit.contact_shown(request, customer=shipment.customer, target=shipment.code, page="shipment")
    return render(request, "shipping/detail.html", context)


def _redelivery_context(request: HttpRequest, shipment: Shipment) -> dict[str, object]:
    """The re-delivery (giao bù) box: the one booked already, or the form when staff may book one."""
    booked = redelivery.open_redelivery(shipment) if shipment.direction == "forward" else None
    offer = booked is None and redelivery.can_redeliver(shipment) and request.user.has_perm(redelivery.PERMISSION)
    needs_address = not shipment.recipient.get("ward_code")
    return {
        "redelivery": booked,
        "redelivery_carriers": redelivery.enabled_carriers() if offer else [],
        "redelivery_needs_address": needs_address,
        "redelivery_needs_sender": not shipment.sender.get("ward_code") and not shipment.sender.get("warehouse"),
        "redelivery_needs_weight": not shipment.parcel.get("weight_grams"),
        "redelivery_warehouses": _warehouses() if offer else [],
    }


def _warehouses() -> list[object]:
    from haumai.inventory import selectors as inventory_selectors

    return list(inventory_selectors.warehouses())


def state_version(shipment: Shipment, last_event_id: int | None) -> str:
    """A short token that changes with any news on the shipment (status, tracking event, booking)."""
    parts = (
        shipment.status, last_event_id or 0, shipment.booking_attempts, shipment.tracking_code,
        shipment.delayed_at, shipment.booking_failed_at, shipment.due_at,
    )  # fmt: skip
    return hashlib.blake2s(repr(parts).encode(), digest_size=6).hexdigest()


def _live_context(shipment: Shipment, *, last_event_id: int | None) -> dict[str, object]:
    # The page follows the shipment while something may still happen to it (not final, or a booking due).
    return {
        "live_version": state_version(shipment, last_event_id),
        "live_polling": not is_final(shipment.status) or shipment.due_at is not None,
        "live_every": LIVE_POLL_SECONDS,
    }


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
@require_GET
def shipment_state(request: HttpRequest, code: str) -> HttpResponse:
    """The live part of a shipment page (htmx polls it). When the state moved on since the page's
    version `v`, the response says so (HX-Trigger `shipment-changed`) so the page can refresh itself."""
    try:
        shipment = selectors.shipment_state(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context = _live_context(shipment, last_event_id=shipment.last_event_id)  # type: ignore[attr-defined]
    changed = request.GET.get("v", "") != context["live_version"]
    response = render(request, "shipping/_live_state.html", {**context, "shipment": shipment, "live_partial": True})
    if changed:
        response["HX-Trigger"] = "shipment-changed"
    return response


def _shipment_or_404(code: str) -> Shipment:
    try:
        return selectors.shipment_detail(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def refusal_message(error: DomainError) -> str:
    """A refusal as one line: the message, then what is wrong with each field."""
    details = [field.message for field in error.errors]
    return " ".join([str(error), *details]) if details else str(error)


def _act(request: HttpRequest, shipment: Shipment, action: Callable[[], object], success: str) -> HttpResponse:
    """Run one staff action on a shipment; show its refusal or `success`, then go back to the shipment."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("shipping:detail", code=shipment.code)


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
@require_POST
def retry_booking(request: HttpRequest, code: str) -> HttpResponse:
    """Queue one more booking attempt now."""
    shipment = _shipment_or_404(code)
    response = _act(
        request,
        shipment,
        lambda: services.retry_booking_now(shipment=shipment, actor=request.user),
        _("Booking queued: the worker asks the carrier again within seconds."),
    )
    return redirect("shipping:failed") if request.POST.get("back") == "failed" else response


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
@require_POST
def fleet_status(request: HttpRequest, code: str) -> HttpResponse:
    """Own-fleet staff record where the parcel is."""
    shipment = _shipment_or_404(code)
    status, note = request.POST.get("status", ""), request.POST.get("note", "").strip()
    return _act(
        request,
        shipment,
        lambda: services.update_fleet_status(shipment=shipment, status=status, actor=request.user, note=note),
        _("Status updated."),
    )


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
@require_POST
def received_at_store(request: HttpRequest, code: str) -> HttpResponse:
    """The customer handed the parcel in at a store."""
    shipment = _shipment_or_404(code)
    note = request.POST.get("note", "").strip()
    return _act(
        request,
        shipment,
        lambda: services.mark_received_at_store(shipment=shipment, actor=request.user, note=note),
        _("Marked as received at the store."),
    )


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Cancel the shipment (and the carrier order, when it was booked)."""
    shipment = _shipment_or_404(code)
    reason = request.POST.get("reason", "").strip()
    return _act(
        request,
        shipment,
        lambda: services.cancel_shipment(shipment=shipment, actor=request.user, reason=reason),
        _("Shipment cancelled."),
    )


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
@require_POST
def sandbox_push(request: HttpRequest, code: str) -> HttpResponse:
    """Offline demo only: make the carrier simulator send a status webhook for this shipment."""
    shipment = _shipment_or_404(code)
    if not sandbox.is_on():
        raise Http404("no carrier simulator")
    return _act(
        request,
        shipment,
        lambda: sandbox.push_status(
            shipment=shipment,
            raw_code=request.POST.get("raw_code", ""),
            hooks_prefix=request.build_absolute_uri("/hooks/shipping/"),
        ),
        _("The carrier simulator is sending the status; this page updates by itself in a few seconds."),
    )


@login_required
@permission_required("shipping.add_shipment", raise_exception=True)
@require_POST
def redeliver(request: HttpRequest, code: str) -> HttpResponse:
    """Book a re-delivery (giao bù) of a failed or returned delivery with the chosen carrier."""
    shipment = _shipment_or_404(code)
    weight = request.POST.get("weight_grams", "").strip()
    data = redelivery.RedeliveryInput(
        carrier_code=request.POST.get("carrier", ""),
        sender_warehouse=request.POST.get("sender_warehouse", "").strip()[:40],
        recipient_street=request.POST.get("recipient_street", "").strip()[:255],
        recipient_ward_code=request.POST.get("recipient_ward_code", "").strip()[:10],
        weight_grams=int(weight) if weight.isdigit() else (-1 if weight else None),
        note=request.POST.get("note", "").strip()[:500],
    )
    try:
        booked = redelivery.book_redelivery(actor=request.user, shipment=shipment, data=data)
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("shipping:detail", code=shipment.code)
    messages.success(
        request,
        _("Re-delivery %(code)s booked with %(carrier)s, tracking code %(tracking)s.")
        % {"code": booked.code, "carrier": booked.carrier.name, "tracking": booked.tracking_code},
    )
    return redirect("shipping:detail", code=booked.code)
