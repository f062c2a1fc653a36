"""REST API v1: service centres and their free slots, appointments (book, move, cancel, check in) and
on-site visits (plan, outcome).

Errors use the API's one shape `{"error": {"code", "message", "fields": [...]}}`: 404 unknown code,
403 missing permission or another technician's visit, 409 `slot_taken` (the last place went meanwhile:
nothing was booked), `technician_busy` (an overlapping visit), `idempotency_conflict`; 422 bad input
with field messages (`too_soon`, `closed`, `not_a_slot`, `too_far`, `wrong_status`, `overlap`...)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from haumai.catalog.models import Unit
from haumai.core import openapi as doc
from haumai.core.errors import NotFound
from haumai.core.permissions import require
from haumai.customers.models import Address, Customer
from haumai.privacy import audit
from haumai.repairs.booking import forms, selectors, services, slots, visits
from haumai.repairs.booking.common import refuse
from haumai.repairs.booking.schemas import (
    ERRORS,
    AppointmentIn,
    AppointmentOut,
    AppointmentPage,
    CancelIn,
    CenterOut,
    CheckInIn,
    OutcomeIn,
    RescheduleIn,
    SlotSearchOut,
    VisitIn,
    VisitOut,
    appointment_out,
    center_out,
    slot_out,
    visit_out,
)
from haumai.repairs.models import AppointmentStatus, BookingOrigin

router = Router(tags=["appointments"])


class SlotFilters(Schema):
    month: str = Field("", max_length=7, description="YYYY-MM (default, also for any other text: this month)")
    center: str = Field("", max_length=40, description="service centre code (unknown: 422 `unknown`)")
    province: str = Field("", max_length=80, description="every active centre of a province (neither: every centre)")
    include_full: doc.QueryBoolean = Field(False, description="also list the full slots (free = 0)")


class AppointmentFilters(Schema):
    center: str = Field("", max_length=40)
    status: str = Field(
        "", max_length=20, json_schema_extra=doc.one_of(("booked", "checked_in", "cancelled", "no_show"), blank=True)
    )
    customer: str = Field("", max_length=20, description="customer code")
    q: str = Field("", max_length=64, description="appointment code or customer phone")
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _customer(code: str) -> Customer:
    customer = Customer.objects.filter(code=code.strip().upper()).first()
    if customer is None:
        raise refuse("customer", _("Unknown customer code"), "unknown")
    return customer


def _unit(serial: str) -> Unit | None:
    if not serial.strip():
        return None
    unit = Unit.objects.filter(Q(serial=serial.strip()) | Q(imei=serial.strip())).first()
    if unit is None:
        raise refuse("serial", _("No unit with this serial number or IMEI"), "unknown_serial")
    return unit


def _center(code: str) -> Any:
    try:
        return selectors.center_by_code(code)
    except NotFound:
        raise refuse("center", _("Unknown service centre"), "unknown") from None


@router.get("/centers", response={200: list[CenterOut], **ERRORS}, summary="Service centres with their opening hours")
def list_centers(request: HttpRequest, province: str = "") -> list[dict[str, Any]]:
    require(request, "repairs.view_servicecenter")
    return [center_out(c) for c in selectors.center_list(province=province[:80], active_only=True)[:200]]


@router.get(
    "/slots",
    response={200: SlotSearchOut, **ERRORS},
    summary="Slots of a month at a centre, every centre of a province, or every centre (free; full with include_full)",
)
def search_slots(request: HttpRequest, filters: Query[SlotFilters]) -> HttpResponse:
    require(request, "repairs.view_appointment")
    year, month = forms.parse_month(filters.month)
    if filters.center:
        center = _center(filters.center)
        found = {center: slots.month_slots(center, year, month)}
    else:
        found = slots.province_slots(filters.province, year, month)
    # Thousands of slots: serialised directly (the shape is SlotSearchOut, documented above).
    body = {
        "month": f"{year:04d}-{month:02d}",
        "centers": [
            {"center": c.code, "name": c.name,
             "slots": [slot_out(s) for s in rows if filters.include_full or s.free > 0]}
            for c, rows in found.items()
        ],
    }  # fmt: skip
    return JsonResponse(body)


@router.get("", response={200: AppointmentPage, **ERRORS}, summary="List appointments, soonest first")
def list_appointments(request: HttpRequest, filters: Query[AppointmentFilters]) -> dict[str, Any]:
    user = require(request, "repairs.view_appointment")
    if filters.status and filters.status not in AppointmentStatus.values:
        raise refuse(
            "status", _("Unknown status (one of: %(allowed)s)") % {"allowed": ", ".join(AppointmentStatus.values)}
        )
    rows = selectors.appointment_list(
        center=_center(filters.center) if filters.center else None, status=filters.status, q=filters.q,
        customer=_customer(filters.customer) if filters.customer else None,
    )  # fmt: skip
    page = list(rows[filters.offset : filters.offset + filters.limit + 1])
    audit.contact_shown(request, target="appointments", page="api", rows=len(page[: filters.limit]))
    return {"items": [appointment_out(a, user) for a in page[: filters.limit]], "has_more": len(page) > filters.limit}


@router.post("", response={200: AppointmentOut, 201: AppointmentOut, **ERRORS}, summary="Book a free slot")
def book(request: HttpRequest, payload: AppointmentIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "repairs.add_appointment")
    key = payload.idempotency_key.strip() or None
    replay = key is not None and selectors.appointment_key_used(key)
    appointment = services.book_appointment(
        actor=user, customer=_customer(payload.customer), center=_center(payload.center),
        starts_at=payload.starts_at, reason=payload.reason, unit=_unit(payload.serial), origin=BookingOrigin.API,
        actor_label=f"api:{user.get_username()}", idempotency_key=key,
    )  # fmt: skip
    return HttpStatus(200 if replay else 201, appointment_out(selectors.appointment_by_code(appointment.code), user))


@router.get(
    "/visits", response={200: list[VisitOut], **ERRORS}, summary="Scheduled visits (a technician's own with mine=true)"
)
def list_visits(request: HttpRequest, mine: doc.QueryBoolean = False, limit: int = 50) -> list[dict[str, Any]]:
    user = require(request, "repairs.view_onsitevisit")
    rows = list(selectors.visit_list(technician=user if mine else None, status="scheduled")[: max(1, min(limit, 100))])
    audit.contact_shown(request, target="visits", page="api", rows=len(rows))
    return [visit_out(v, user) for v in rows]


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="Plan an on-site visit")
def plan_visit(request: HttpRequest, payload: VisitIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "repairs.add_onsitevisit")
    customer = _customer(payload.customer)
    address = Address.objects.filter(pk=payload.address_id, customer=customer).first()
    technician = None
    if payload.technician:
        technician = get_user_model().objects.filter(username=payload.technician).first()
        if technician is None:
            raise refuse("technician", _("Unknown technician"), "unknown")
    visit = visits.schedule_visit(
        actor=user, customer=customer, address=address, window_start=payload.window_start,
        window_end=payload.window_end, technician=technician, unit=_unit(payload.serial), reason=payload.reason,
    )  # fmt: skip
    return HttpStatus(201, visit_out(selectors.visit_by_code(visit.code), user))


@router.post(
    "/visits/{code}/outcome", response={200: VisitOut, **ERRORS}, summary="Record the outcome (assigned technician)"
)
def visit_outcome(request: HttpRequest, code: str, payload: OutcomeIn) -> dict[str, Any]:
    user = require(request, "repairs.record_visit_outcome")
    visits.record_outcome(actor=user, visit=selectors.visit_by_code(code), outcome=payload.outcome, notes=payload.notes)
    return visit_out(selectors.visit_by_code(code), user)


@router.get("/{code}", response={200: AppointmentOut, **ERRORS}, summary="Get an appointment")
def get_appointment(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "repairs.view_appointment")
    appointment = selectors.appointment_by_code(code)
    audit.contact_shown(request, customer=appointment.customer, target=appointment.code, page="api")
    return appointment_out(appointment, user)


@router.post("/{code}/reschedule", response={200: AppointmentOut, **ERRORS}, summary="Move to another free slot")
def reschedule(request: HttpRequest, code: str, payload: RescheduleIn) -> dict[str, Any]:
    user = require(request, "repairs.change_appointment")
    services.reschedule_appointment(actor=user, appointment=selectors.appointment_by_code(code),
                                    starts_at=payload.starts_at, actor_label=f"api:{user.get_username()}")  # fmt: skip
    return appointment_out(selectors.appointment_by_code(code), user)


@router.post("/{code}/cancel", response={200: AppointmentOut, **ERRORS}, summary="Cancel (not once started)")
def cancel(request: HttpRequest, code: str, payload: CancelIn) -> dict[str, Any]:
    user = require(request, "repairs.change_appointment")
    services.cancel_appointment(actor=user, appointment=selectors.appointment_by_code(code), reason=payload.reason,
                                actor_label=f"api:{user.get_username()}")  # fmt: skip
    return appointment_out(selectors.appointment_by_code(code), user)


@router.post(
    "/{code}/check-in",
    response={200: AppointmentOut, **ERRORS},
    summary="Check in at the counter (creates the repair intake when the unit is known)",
)
def check_in(request: HttpRequest, code: str, payload: CheckInIn) -> dict[str, Any]:
    user = require(request, "repairs.check_in_appointment")
    services.check_in(
        actor=user, appointment=selectors.appointment_by_code(code), note=payload.note, unit=_unit(payload.serial),
        description=payload.description, condition=payload.condition, accessories=payload.accessories,
    )  # fmt: skip
    return appointment_out(selectors.appointment_by_code(code), user)
