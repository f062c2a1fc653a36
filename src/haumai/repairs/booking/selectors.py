"""Reads of the booking side: centres, appointments, visits and maintenance schedules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.repairs.models import (
    Appointment,
    AppointmentStatus,
    MaintenanceSchedule,
    OnSiteVisit,
    OpeningHours,
    ServiceCenter,
    VisitStatus,
)


def center_list(
    *, q: str = "", province: str = "", active_only: bool = False, bookable_only: bool = False
) -> QuerySet[ServiceCenter]:
    """Centres by name/code/province, with their hours (prefetched); bookable = active with opening hours."""
    rows = ServiceCenter.objects.all().prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at"))
    )
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(province__icontains=q))
    if province:
        rows = rows.filter(province=province)
    if active_only or bookable_only:
        rows = rows.filter(is_active=True)
    if bookable_only:
        rows = rows.filter(pk__in=OpeningHours.objects.values("center_id"))
    return rows.order_by("province", "name")


def provinces_with_centers() -> list[str]:
    """Provinces that have a bookable centre (active, with opening hours), sorted."""
    values = (
        ServiceCenter.objects.filter(is_active=True, pk__in=OpeningHours.objects.values("center_id"))
        .exclude(province="")
        .values_list("province", flat=True)
    )
    return sorted(set(values))


def center_by_code(code: str) -> ServiceCenter:
    """One centre by code, or NotFound."""
    center = ServiceCenter.objects.filter(code=code[:40]).first()
    if center is None:
        raise NotFound("Service centre not found")
    return center


def _phone(text: str) -> str | None:
    if not any(ch.isdigit() for ch in text):
        return None
    try:
        return normalize_phone(text)
    except InvalidPhone:
        return None


def _appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("center", "customer", "unit__product", "repair_order")


def appointment_by_code(code: str) -> Appointment:
    """One appointment by code, or NotFound."""
    appointment = _appointments().filter(code=code.strip().upper()[:24]).first()
    if appointment is None:
        raise NotFound("Appointment not found")
    return appointment


def appointment_key_used(key: str) -> bool:
    """Whether an API idempotency key already booked an appointment."""
    return Appointment.objects.filter(idempotency_key=key).exists()


def appointment_list(
    *, center: ServiceCenter | None = None, status: str = "", day: dt.date | None = None, q: str = "",
    customer: Any = None,
) -> QuerySet[Appointment]:  # fmt: skip
    """Appointments by centre, state, local day (Vietnam) and code/phone, soonest first."""
    rows = _appointments()
    if center is not None:
        rows = rows.filter(center=center)
    if customer is not None:
        rows = rows.filter(customer=customer)
    if status:
        rows = rows.filter(status=status)
    if day is not None:
        start = dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)
        rows = rows.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    text = q.strip()
    if text:
        phone = _phone(text)
        condition = Q(code=text.upper())
        if phone:
            condition |= Q(customer__phone=phone)
        rows = rows.filter(condition)
    return rows.order_by("starts_at", "id")


def upcoming_for_customer(customer: Any, *, limit: int = 20) -> list[Appointment]:
    """The customer's booked appointments from now on, soonest first."""
    return list(
        _appointments()
        .filter(customer=customer, status=AppointmentStatus.BOOKED, ends_at__gte=clock.now())
        .order_by("starts_at")[:limit]
    )


def customer_appointments(customer: Any, *, limit: int = 50) -> list[Appointment]:
    """The customer's appointments, newest slot first."""
    return list(_appointments().filter(customer=customer).order_by("-starts_at", "-id")[:limit])


def pending_reminders() -> QuerySet[Appointment]:
    """Appointments with a reminder to send (the scheduler claims the due ones)."""
    return Appointment.objects.filter(remind_at__isnull=False, status=AppointmentStatus.BOOKED)


def pending_no_shows() -> QuerySet[Appointment]:
    """Booked appointments waiting for their no-show deadline."""
    return Appointment.objects.filter(due_at__isnull=False)


def _visits() -> QuerySet[OnSiteVisit]:
    return OnSiteVisit.objects.select_related("customer", "unit__product", "address__province", "address__ward",
                                              "technician")  # fmt: skip


def visit_by_code(code: str) -> OnSiteVisit:
    """One visit by code, or NotFound."""
    visit = _visits().filter(code=code.strip().upper()[:24]).first()
    if visit is None:
        raise NotFound("Visit not found")
    return visit


def visit_list(*, technician: Any = None, status: str = "", q: str = "") -> QuerySet[OnSiteVisit]:
    """Visits by technician, state and code/phone, soonest first."""
    rows = _visits()
    if technician is not None:
        rows = rows.filter(technician=technician)
    if status:
        rows = rows.filter(status=status)
    text = q.strip()
    if text:
        phone = _phone(text)
        condition = Q(code=text.upper())
        if phone:
            condition |= Q(customer__phone=phone)
        rows = rows.filter(condition)
    return rows.order_by("window_start", "id")


def upcoming_visits_for_customer(customer: Any, *, limit: int = 20) -> list[OnSiteVisit]:
    """The customer's scheduled visits from now on."""
    return list(
        _visits()
        .filter(customer=customer, status=VisitStatus.SCHEDULED, window_end__gte=clock.now())
        .order_by("window_start")[:limit]
    )


def schedules_for_customer(customer: Any, *, limit: int = 20) -> list[MaintenanceSchedule]:
    """The customer's active maintenance schedules, soonest due first."""
    return list(
        MaintenanceSchedule.objects.filter(customer=customer, is_active=True)
        .select_related("plan", "unit__product")
        .order_by("next_due_on", "id")[:limit]
    )


def schedule_list(*, due_before: dt.date | None = None) -> QuerySet[MaintenanceSchedule]:
    """Active schedules, soonest due first (optionally due before a day)."""
    rows = MaintenanceSchedule.objects.filter(is_active=True).select_related("plan", "unit__product", "customer")
    if due_before is not None:
        rows = rows.filter(next_due_on__lte=due_before)
    return rows.order_by("next_due_on", "id")


def pending_maintenance() -> QuerySet[MaintenanceSchedule]:
    """Schedules whose reminder is waiting (the scheduler claims the due ones)."""
    return MaintenanceSchedule.objects.filter(due_at__isnull=False, is_active=True)
