"""Console registration of booking: navigation (centres, appointments, visits, maintenance) and search
by appointment/visit code or the customer's phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core import clock
from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.repairs.booking import selectors
from haumai.repairs.booking.selectors import _phone
from haumai.repairs.models import Appointment, AppointmentStatus, OnSiteVisit, VisitStatus


def _today_booked(user: Any) -> int | None:
    start = clock.local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = Appointment.objects.filter(status=AppointmentStatus.BOOKED, starts_at__gte=start,
                                      starts_at__lt=start + dt.timedelta(days=1))  # fmt: skip
    return capped_count(rows)


def _my_visits(user: Any) -> int | None:
    return capped_count(OnSiteVisit.objects.filter(technician=user, status=VisitStatus.SCHEDULED))


def search_booking(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Appointments (AP-...) and visits (VS-...) by exact code, or both by the customer's phone."""
    text = query.strip()
    upper = text.upper()
    by_code = upper.startswith(("AP-", "VS-"))
    phone = None if by_code or " " in text else _phone(text)
    if not by_code and phone is None:
        return []  # not one of our codes nor a phone: no query
    hits: list[SearchHit] = []
    if not upper.startswith("VS-") and user.has_perm("repairs.view_appointment"):
        for appointment in selectors.appointment_list(q=text).order_by("-starts_at")[:limit]:
            hits.append(SearchHit(
                kind=_("Appointment"), title=appointment.code,
                url=reverse("booking:appointment", args=[appointment.code]),
                subtitle=f"{appointment.starts_at.astimezone(clock.LOCAL_TZ):%d/%m/%Y %H:%M} · "
                         f"{appointment.center.name} · {appointment.get_status_display()}",
                icon="calendar-check", score=1.0 if appointment.code == upper else 0.8,
            ))  # fmt: skip
    if not upper.startswith("AP-") and user.has_perm("repairs.view_onsitevisit"):
        for visit in selectors.visit_list(q=text).order_by("-window_start")[:limit]:
            hits.append(SearchHit(
                kind=_("On-site visit"), title=visit.code, url=reverse("booking:visit", args=[visit.code]),
                subtitle=f"{visit.window_start.astimezone(clock.LOCAL_TZ):%d/%m/%Y %H:%M} · "
                         f"{visit.get_status_display()}",
                icon="car", score=1.0 if visit.code == upper else 0.7,
            ))  # fmt: skip
    return hits[:limit]


register_nav(
    NavEntry(
        key="booking.appointments", area="aftersales", label=_("Appointments"), url_name="booking:appointments",
        icon="calendar-check", permission="repairs.view_appointment", order=30,
        active_prefixes=("/console/appointments/",), count=_today_booked,
    ),
    NavEntry(
        key="booking.visits", area="aftersales", label=_("On-site visits"), url_name="booking:visits", icon="car",
        permission="repairs.view_onsitevisit", order=31, active_prefixes=("/console/visits/",), count=_my_visits,
    ),
    NavEntry(
        key="booking.maintenance", area="proactive", label=_("Periodic maintenance"), url_name="booking:maintenance",
        icon="calendar-clock", permission="repairs.view_maintenanceschedule", order=40,
        active_prefixes=("/console/maintenance/",),
    ),
    NavEntry(
        key="booking.centers", area="settings", label=_("Service centres"), url_name="booking:centers",
        icon="building-2", permission="repairs.view_servicecenter", order=40,
        active_prefixes=("/console/service-centers/",),
    ),
)  # fmt: skip
register_search(
    SearchProvider(
        key="booking", label=_("Appointments and visits"), search=search_booking,
        permission="repairs.view_appointment", order=45,
    )
)  # fmt: skip
