"""Portal pages of appointments: book a free slot at a service centre, see and cancel my appointments,
the signed link page from confirmations and reminders, and booking from a maintenance reminder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError, NotFound
from haumai.customers.models import Customer
from haumai.portal.views import _page, current_customer, portal_login_required
from haumai.repairs.booking import forms, links, maintenance, selectors, services, slots
from haumai.repairs.models import Appointment, BookingOrigin, ServiceCenter


def _errors(exc: DomainError) -> list[str]:
    return [error.message for error in exc.errors] or [exc.message]


def slot_days(
    center: ServiceCenter, found: list[slots.Slot], *, only_free: bool = True
) -> list[tuple[dt.date, list[tuple[str, slots.Slot]]]]:
    """Slots (the free ones by default) grouped by local day, each with its local HH:MM label."""
    zone = ZoneInfo(center.time_zone)
    days: dict[dt.date, list[tuple[str, slots.Slot]]] = defaultdict(list)
    for slot in found:
        if slot.is_free or not only_free:
            local = slot.starts_at.astimezone(zone)
            days[local.date()].append((local.strftime("%H:%M"), slot))
    return sorted(days.items())


def _choose(request: HttpRequest, customer: Customer, *, token: str = "", schedule: Any = None) -> HttpResponse:
    provinces = selectors.provinces_with_centers()
    province = request.GET.get("province", "")[:80]
    province = province if province in provinces else (provinces[0] if provinces else "")
    centers = list(selectors.center_list(province=province, bookable_only=True))
    code = request.GET.get("center", "")[:40]
    center = next((c for c in centers if c.code == code), centers[0] if centers else None)
    year, month = forms.parse_month(request.GET.get("month", ""))
    found = slots.month_slots(center, year, month) if center is not None else []
    context = {
        "provinces": provinces, "province": province, "centers": centers, "center": center,
        "month": f"{year:04d}-{month:02d}", "previous_month": forms.shift_month(year, month, -1),
        "next_month": forms.shift_month(year, month, 1), "days": slot_days(center, found) if center else [],
        "token": token, "schedule": schedule, "portal_customer": customer if not token else None,
    }  # fmt: skip
    return _page(request, "repairs/booking/portal/book.html", context)


def _confirm(request: HttpRequest, customer: Customer, *, token: str = "", schedule: Any = None) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    center = ServiceCenter.objects.filter(code=source.get("center", "")[:40], is_active=True).first()
    if center is None:
        raise Http404("No centre")
    errors: list[str] = []
    starts_at = None
    try:
        starts_at = forms.parse_moment(source.get("starts_at", ""))
    except DomainError as exc:
        errors = _errors(exc)
    reason = source.get("reason", "")[:500]
    if request.method == "POST" and starts_at is not None:
        try:
            appointment = services.book_appointment(
                actor=None, customer=customer, center=center, starts_at=starts_at,
                reason=reason or (schedule.plan.name if schedule else ""),
                unit=schedule.unit if schedule else None, origin=BookingOrigin.PORTAL, actor_label="portal",
            )  # fmt: skip
        except DomainError as exc:
            errors = _errors(exc)
        else:
            if token:
                return redirect(links.appointment_path(appointment.code, appointment.ends_at))
            return redirect(f"{reverse('booking_portal:mine')}?booked={appointment.code}")
    when = services.local_label(center, starts_at) if starts_at is not None else ""
    context = {"center": center, "starts_at": source.get("starts_at", "")[:40], "when": when, "reason": reason,
               "errors": errors, "token": token, "schedule": schedule,
               "portal_customer": customer if not token else None}  # fmt: skip
    return _page(request, "repairs/booking/portal/confirm.html", context, status=409 if errors else 200)


@never_cache
@require_GET
@portal_login_required
def book(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Choose a centre (by province) and a free slot of a month."""
    return _choose(request, customer)


@never_cache
@require_http_methods(["GET", "POST"])
@portal_login_required
def confirm(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Confirm the chosen slot with a reason, then book it (a slot taken meanwhile says so)."""
    return _confirm(request, customer)


@never_cache
@require_GET
@portal_login_required
def mine(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My appointments and visits: upcoming ones first, with a cancel button."""
    context = {
        "appointments": selectors.customer_appointments(customer, limit=50),
        "visits": selectors.upcoming_visits_for_customer(customer),
        "schedules": selectors.schedules_for_customer(customer),
        "booked": request.GET.get("booked", "")[:24],
        "portal_customer": customer,
    }
    return _page(request, "repairs/booking/portal/mine.html", context)


def _cancel(request: HttpRequest, appointment: Appointment) -> list[str]:
    try:
        services.cancel_appointment(actor=None, appointment=appointment, reason=_("Cancelled by the customer"),
                                    actor_label="portal")  # fmt: skip
    except DomainError as exc:
        return _errors(exc)
    return []


@require_POST
@portal_login_required
def cancel(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """Cancel one of my appointments (not one that started)."""
    try:
        appointment = selectors.appointment_by_code(code)
    except NotFound as exc:
        raise Http404("No appointment") from exc
    if appointment.customer_id != customer.pk:
        raise Http404("No appointment")
    errors = _cancel(request, appointment)
    if errors:
        context = {"appointments": selectors.customer_appointments(customer), "errors": errors,
                   "visits": [], "schedules": [], "portal_customer": customer}  # fmt: skip
        return _page(request, "repairs/booking/portal/mine.html", context, status=400)
    return redirect("booking_portal:mine")


@never_cache
@require_http_methods(["GET", "POST"])
def by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment from a signed link (no login): details, and cancel while it is booked."""
    code = links.code_from_token(token)
    if code is None:
        return _page(request, "repairs/booking/portal/link_expired.html", {}, status=410)
    try:
        appointment = selectors.appointment_by_code(code)
    except NotFound as exc:
        raise Http404("No appointment") from exc
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "cancel":
        errors = _cancel(request, appointment)
        appointment = selectors.appointment_by_code(code)
    context = {"appointment": appointment, "errors": errors, "when": services.local_label(appointment.center,
               appointment.starts_at), "token": token, "portal_customer": current_customer(request)}  # fmt: skip
    return _page(request, "repairs/booking/portal/link.html", context, status=400 if errors else 200)


def _schedule(token: str) -> Any:
    schedule = maintenance.schedule_from_token(token)
    if schedule is None:
        raise Http404("Link expired")
    return schedule


@never_cache
@require_GET
def from_link(request: HttpRequest, token: str) -> HttpResponse:
    """Book the maintenance of a unit from the reminder's signed link (no login)."""
    schedule = _schedule(token)
    return _choose(request, schedule.customer, token=token, schedule=schedule)


@never_cache
@require_http_methods(["GET", "POST"])
def from_link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm and book the maintenance slot chosen from the reminder's link."""
    schedule = _schedule(token)
    return _confirm(request, schedule.customer, token=token, schedule=schedule)
