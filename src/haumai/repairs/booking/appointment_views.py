"""Console pages of appointments: the day's list per centre, booking for a customer, and the counter's
actions (check in, cancel, move)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.selectors import shown_phone
from haumai.catalog.models import Unit
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.customers.models import Customer
from haumai.privacy import audit
from haumai.repairs.booking import forms, selectors, services, slots
from haumai.repairs.booking.common import refuse
from haumai.repairs.booking.portal_views import slot_days
from haumai.repairs.booking.selectors import _phone
from haumai.repairs.models import Appointment, AppointmentStatus, BookingOrigin, ServiceCenter

PAGE_SIZE = 30


def _load(code: str) -> Appointment:
    try:
        return selectors.appointment_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, details or exc.message)


def find_customer(text: str) -> Customer | None:
    """A customer by code or phone."""
    value = text.strip()[:32]
    if not value:
        return None
    phone = _phone(value)
    condition = Q(code=value.upper()) | (Q(phone=phone) if phone else Q(pk__in=[]))
    return Customer.objects.filter(condition).first()


@login_required
@permission_required("repairs.view_appointment", raise_exception=True)
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    """Appointments of a day (default today) at a centre, by state or code/phone; paginated."""
    centers = list(ServiceCenter.objects.order_by("name"))
    center = next((c for c in centers if c.code == request.GET.get("center", "")[:40]), None)
    status = request.GET.get("status", "")
    status = status if status in AppointmentStatus.values else ""
    query = request.GET.get("q", "").strip()[:64]
    day_text = request.GET.get("day", "")[:10]
    try:
        day: dt.date | None = dt.date.fromisoformat(day_text) if day_text else None
    except ValueError:
        day = None
    page = page_number(request)
    rows, has_next = page_of(
        selectors.appointment_list(center=center, status=status, day=day, q=query), page, PAGE_SIZE
    )
    context = {
        "rows": [(a, shown_phone(request.user, a.customer.phone)) for a in rows], "has_next": has_next,
        "page": page, "centers": centers, "center": center, "status": status, "query": query,
        "day": day.isoformat() if day else "", "statuses": AppointmentStatus.choices,
    }  # fmt: skip
    audit.contact_shown(request, target="appointments", page="appointments", rows=len(rows))
    return render(request, "repairs/booking/appointments.html", context)


@login_required
@permission_required("repairs.view_appointment", raise_exception=True)
@require_GET
def appointment_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One appointment with its actions, and free slots of the month to move it to."""
    appointment = _load(code)
    year, month = forms.parse_month(request.GET.get("month", ""))
    free = []
    if appointment.status == AppointmentStatus.BOOKED and request.user.has_perm("repairs.change_appointment"):
        free = slot_days(appointment.center, slots.month_slots(appointment.center, year, month))
    context = {
        "appointment": appointment, "phone": shown_phone(request.user, appointment.customer.phone),
        "when": services.local_label(appointment.center, appointment.starts_at), "free_days": free,
        "month": f"{year:04d}-{month:02d}", "next_month": forms.shift_month(year, month, 1),
    }  # fmt: skip
    audit.contact_shown(request, customer=appointment.customer, target=appointment.code, page="appointment")
    return render(request, "repairs/booking/appointment.html", context)


@login_required
@permission_required("repairs.add_appointment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest) -> HttpResponse:
    """Book for a customer (found by code or phone): choose the centre, the month and a free slot."""
    source = request.POST if request.method == "POST" else request.GET
    customer_text = source.get("customer", "")[:32]
    customer = find_customer(customer_text)
    centers = list(ServiceCenter.objects.filter(is_active=True).order_by("name"))
    center = next((c for c in centers if c.code == source.get("center", "")[:40]), centers[0] if centers else None)
    year, month = forms.parse_month(source.get("month", ""))
    errors: dict[str, str] = {}
    if customer_text and customer is None:
        errors["customer"] = _("No customer with this code or phone")
    if request.method == "POST" and customer is not None and center is not None:
        try:
            appointment = services.book_appointment(
                actor=request.user, customer=customer, center=center,
                starts_at=forms.parse_moment(source.get("starts_at", "")), reason=source.get("reason", "")[:500],
                origin=BookingOrigin.CONSOLE,
            )  # fmt: skip
        except DomainError as exc:
            errors.update({e.field: e.message for e in exc.errors} or {"": exc.message})
        else:
            messages.success(request, _("Appointment %(code)s booked.") % {"code": appointment.code})
            return redirect("booking:appointment", code=appointment.code)
    days = slot_days(center, slots.month_slots(center, year, month)) if center and customer else []
    context = {
        "customer": customer, "customer_text": customer_text, "centers": centers, "center": center, "days": days,
        "month": f"{year:04d}-{month:02d}", "next_month": forms.shift_month(year, month, 1),
        "previous_month": forms.shift_month(year, month, -1), "errors": errors,
        "reason": source.get("reason", "")[:500], "chosen": source.get("starts_at", "")[:40],
    }  # fmt: skip
    return render(request, "repairs/booking/appointment_new.html", context, status=400 if errors else 200)


def _act(request: HttpRequest, code: str, action: Any, done: str) -> HttpResponse:
    appointment = _load(code)
    try:
        action(appointment)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("booking:appointment", code=appointment.code)


@login_required
@permission_required("repairs.check_in_appointment", raise_exception=True)
@require_POST
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The customer arrived at the counter: check in, and receive the unit (the repair intake) when known."""
    post = request.POST
    serial = post.get("serial", "").strip()[:64]
    unit = Unit.objects.filter(Q(serial=serial) | Q(imei=serial)).first() if serial else None

    def act(appointment: Appointment) -> None:
        if serial and unit is None:
            raise refuse("serial", _("No unit with this serial number or IMEI"), "unknown_serial")
        services.check_in(
            actor=request.user, appointment=appointment, note=post.get("note", "")[:300], unit=unit,
            description=post.get("description", "")[:4000], condition=post.get("condition", "")[:500],
            accessories=post.get("accessories", "")[:500], photos=request.FILES.getlist("photos")[:10],
        )  # fmt: skip

    return _act(request, code, act, _("Checked in."))


@login_required
@permission_required("repairs.change_appointment", raise_exception=True)
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Cancel for the customer (with a reason)."""
    reason = request.POST.get("reason", "")[:300]
    return _act(request, code, lambda a: services.cancel_appointment(actor=request.user, appointment=a, reason=reason),
                _("Appointment cancelled."))  # fmt: skip


@login_required
@permission_required("repairs.change_appointment", raise_exception=True)
@require_POST
def reschedule(request: HttpRequest, code: str) -> HttpResponse:
    """Move to another free slot of the same centre."""

    def move(appointment: Appointment) -> None:
        starts_at = forms.parse_moment(request.POST.get("starts_at", ""))
        services.reschedule_appointment(actor=request.user, appointment=appointment, starts_at=starts_at)

    return _act(request, code, move, _("Appointment moved."))
