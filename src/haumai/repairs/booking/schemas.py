"""API shapes of booking: centres, slots, appointments, visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from haumai.accounts.selectors import can_see_pii, shown_phone
from haumai.repairs.booking import slots
from haumai.repairs.models import Appointment, OnSiteVisit, ServiceCenter

# HaumaiAPI documents every error answer with the one ErrorOut (haumai.api); routes add nothing.
ERRORS: dict[int, Any] = {}


class HoursOut(Schema):
    weekday: int = Field(description="0 = Monday")
    opens_at: str
    closes_at: str


class CenterOut(Schema):
    code: str
    name: str
    kind: str
    address: str
    province: str
    phone: str
    time_zone: str
    capacity_per_hour: int
    slot_minutes: int
    closed_on_public_holidays: bool
    is_active: bool
    hours: list[HoursOut]


class SlotOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    free: int


class CenterSlotsOut(Schema):
    center: str
    name: str
    slots: list[SlotOut]


class SlotSearchOut(Schema):
    month: str
    centers: list[CenterSlotsOut]


class AppointmentIn(Schema):
    customer: str = Field(max_length=20, description="customer code (CUS-...)")
    center: str = Field(max_length=40, description="service centre code")
    starts_at: dt.datetime = Field(description="start of a free slot, ISO 8601 with offset")
    reason: str = Field("", max_length=500)
    serial: str = Field("", max_length=64, description="serial number or IMEI of the unit (optional)")
    idempotency_key: str = Field("", max_length=80, description="a replay with the same key returns the same booking")


class RescheduleIn(Schema):
    starts_at: dt.datetime


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class CheckInIn(Schema):
    serial: str = Field("", max_length=64, description="the unit brought in (default: the appointment's unit)")
    description: str = Field("", max_length=4000)
    condition: str = Field("", max_length=500)
    accessories: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=300)


class AppointmentOut(Schema):
    code: str
    customer: str
    customer_name: str
    customer_phone: str
    center: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    origin: str
    reason: str
    serial: str | None
    repair_order: str | None


class AppointmentPage(Schema):
    items: list[AppointmentOut]
    has_more: bool


class VisitIn(Schema):
    customer: str = Field(max_length=20)
    address_id: int = Field(description="id of one of the customer's addresses")
    window_start: dt.datetime
    window_end: dt.datetime
    technician: str = Field("", max_length=150, description="username of a technician (optional)")
    serial: str = Field("", max_length=64)
    reason: str = Field("", max_length=500)


class OutcomeIn(Schema):
    outcome: str = Field(description="fixed, needs_workshop, parts_ordered, maintained")
    notes: str = Field("", max_length=4000)


class VisitOut(Schema):
    code: str
    customer: str
    window_start: dt.datetime
    window_end: dt.datetime
    technician: str | None
    status: str
    outcome: str
    address: str = Field(description="street, province; the street is *** without customers.view_customer_pii")


def center_out(center: ServiceCenter) -> dict[str, Any]:
    """A centre with its hours (prefetched)."""
    return {
        "code": center.code, "name": center.name, "kind": center.kind, "address": center.address,
        "province": center.province, "phone": center.phone, "time_zone": center.time_zone,
        "capacity_per_hour": center.capacity_per_hour, "slot_minutes": center.slot_minutes,
        "closed_on_public_holidays": center.closed_on_public_holidays, "is_active": center.is_active,
        "hours": [
            {"weekday": h.weekday, "opens_at": f"{h.opens_at:%H:%M}", "closes_at": f"{h.closes_at:%H:%M}"}
            for h in center.opening_hours.all()
        ],
    }  # fmt: skip


def slot_out(slot: slots.Slot) -> dict[str, Any]:
    """One slot (ISO 8601 times, UTC)."""
    return {
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "capacity": slot.capacity,
        "free": slot.free,
    }


def appointment_out(appointment: Appointment, user: Any) -> dict[str, Any]:
    """An appointment as the API shows it (phone masked by role)."""
    return {
        "code": appointment.code, "customer": appointment.customer.code,
        "customer_name": appointment.customer.full_name,
        "customer_phone": shown_phone(user, appointment.customer.phone), "center": appointment.center.code,
        "starts_at": appointment.starts_at, "ends_at": appointment.ends_at, "status": appointment.status,
        "origin": appointment.origin, "reason": appointment.reason,
        "serial": appointment.unit.serial if appointment.unit is not None else None,
        "repair_order": appointment.repair_order.code if appointment.repair_order is not None else None,
    }  # fmt: skip


def visit_out(visit: OnSiteVisit, user: Any) -> dict[str, Any]:
    """A visit as the API shows it (the street masked by role, like a customer's addresses)."""
    street = visit.address.street if can_see_pii(user) else "***"
    return {
        "code": visit.code, "customer": visit.customer.code, "window_start": visit.window_start,
        "window_end": visit.window_end, "technician": visit.technician.get_username() if visit.technician else None,
        "status": visit.status, "outcome": visit.outcome,
        "address": f"{street}, {visit.address.province.name}",
    }  # fmt: skip
