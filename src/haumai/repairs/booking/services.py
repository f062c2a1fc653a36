"""Appointments at service centres: book a free slot, cancel, reschedule, check in, mark no-shows.

A slot's places are counted in `AppointmentSlot.booked`, raised only by
`UPDATE ... SET booked = booked + 1 WHERE id = ? AND booked < capacity`: two parallel bookings of the
last place cannot both pass (PostgreSQL re-checks the condition after the first commits; SQLite
serialises writers). A refusal raises before anything is written, or rolls the transaction back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.repairs.booking import slots as slot_math
from haumai.repairs.booking.common import APPOINTMENT_PREFIX, SlotTaken, refuse, require_perm
from haumai.repairs.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    BookingOrigin,
    ClosedDay,
    ServiceCenter,
)
from haumai.repairs.services.intake import receive_unit

REMIND_BEFORE = dt.timedelta(hours=24)
NO_SHOW_AFTER = dt.timedelta(hours=2)
MAX_RESCHEDULES = 3
ACTIVE = (AppointmentStatus.BOOKED,)


def local_label(center: ServiceCenter, moment: dt.datetime) -> str:
    """dd/mm/yyyy HH:MM in the centre's time zone."""
    return moment.astimezone(ZoneInfo(center.time_zone)).strftime("%d/%m/%Y %H:%M")


def payload_of(appointment: Appointment, **extra: Any) -> dict[str, Any]:
    """The event payload of an appointment (what the timeline and the messages say). Never a signed link:
    payloads reach webhook subscribers; messages get `links.appointment` at send time (booking/links.py)."""
    center = appointment.center
    return {
        "code": appointment.code,
        "center": center.name,
        "center_code": center.code,
        "address": center.address,
        "starts_at": appointment.starts_at.isoformat(),
        "when": local_label(center, appointment.starts_at),
        "status": appointment.status,
        **extra,
    }


def _check_slot(center: ServiceCenter, starts_at: dt.datetime, *, field: str = "starts_at") -> slot_math.Slot:
    """The slot starting then, or a field error that says why it cannot be booked."""
    if starts_at.tzinfo is None:
        raise refuse(field, _("Give the time with its time zone"))
    if not center.is_active:
        raise refuse("center", _("This service centre does not take appointments"), "inactive")
    if starts_at < slot_math.earliest_bookable(center):
        raise refuse(field, _("This time is in the past or too soon; choose a later slot"), "too_soon")
    local_day = starts_at.astimezone(ZoneInfo(center.time_zone)).date()
    if local_day > slot_math.last_bookable_day(center):
        raise refuse(field, _("Appointments can be booked at most %(days)s days ahead")
                     % {"days": center.booking_horizon_days}, "too_far")  # fmt: skip
    closed = ClosedDay.objects.filter(center=center, date=local_day).first()
    holiday = slot_math.holiday_name(local_day) if center.closed_on_public_holidays else ""
    if closed is not None or holiday:
        why = holiday or (closed.reason if closed is not None else "")
        values = {"day": local_day.strftime("%d/%m/%Y"), "why": f" ({why})" if why else ""}
        raise refuse(field, _("The centre is closed on %(day)s%(why)s") % values, "closed")
    slot = slot_math.find_slot(center, starts_at)
    if slot is None:
        raise refuse(field, _("The centre does not open a slot at this time"), "not_a_slot")
    return slot


def _take_place(center: ServiceCenter, slot: slot_math.Slot) -> AppointmentSlot:
    """Raise the slot's counter by one if a place is left; SlotTaken otherwise (call in a transaction)."""
    row, _created = AppointmentSlot.objects.get_or_create(center=center, starts_at=slot.starts_at)
    taken = AppointmentSlot.objects.filter(pk=row.pk, booked__lt=slot.capacity).update(booked=F("booked") + 1)
    if not taken:
        raise SlotTaken()
    return row


def _release_place(row_id: int) -> None:
    AppointmentSlot.objects.filter(pk=row_id, booked__gt=0).update(booked=F("booked") - 1)


def _check_overlap(customer: Any, slot: slot_math.Slot, *, exclude: int | None = None) -> None:
    clash = Appointment.objects.filter(
        customer=customer, status__in=ACTIVE, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    existing = clash.first()
    if existing is not None:
        raise refuse("starts_at", _("The customer already has appointment %(code)s at this time")
                     % {"code": existing.code}, "overlap")  # fmt: skip


def _check_unit(customer: Any, unit: Any) -> None:
    from haumai.warranty.models import Warranty  # read only: whose unit it is

    if unit is None:
        return
    others = Warranty.objects.filter(unit=unit).exclude(customer=customer).exists()
    if others and not Warranty.objects.filter(unit=unit, customer=customer).exists():
        raise refuse("unit", _("This serial number belongs to another customer"), "not_owner")


def _timers(appointment: Appointment) -> None:
    remind = appointment.starts_at - REMIND_BEFORE
    appointment.remind_at = remind if remind > clock.now() else None
    appointment.due_at = appointment.ends_at + NO_SHOW_AFTER


def book_appointment(
    *,
    actor: Any,
    customer: Any,
    center: ServiceCenter,
    starts_at: dt.datetime,
    reason: str = "",
    unit: Any = None,
    origin: str = BookingOrigin.CONSOLE,
    actor_label: str = "",
    idempotency_key: str | None = None,
) -> Appointment:
    """Book a free slot for a customer; SlotTaken when the last place went meanwhile."""
    require_perm(actor, "repairs.add_appointment")
    if origin not in BookingOrigin.values:
        raise refuse("origin", _("Unknown origin"))
    if len(reason) > 500:
        raise refuse("reason", _("At most 500 characters"), "too_long")
    if idempotency_key:
        existing = Appointment.objects.filter(idempotency_key=idempotency_key).select_related("center").first()
        if existing is not None:
            same = (existing.customer_id, existing.center_id, existing.starts_at) == (customer.pk, center.pk, starts_at)
            if not same:
                raise Conflict(_("This idempotency key was used for another appointment"), code="idempotency_conflict")
            return existing
    slot = _check_slot(center, starts_at)
    _check_unit(customer, unit)
    with transaction.atomic():
        _check_overlap(customer, slot)
        row = _take_place(center, slot)
        appointment = Appointment(
            code=next_code(APPOINTMENT_PREFIX),
            customer=customer,
            unit=unit,
            center=center,
            slot=row,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            reason=reason.strip(),
            origin=origin,
            booked_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=idempotency_key or None,
        )
        _timers(appointment)
        appointment.save()
        record_event(
            name="appointment.booked",
            customer=customer,
            subject=appointment,
            actor=actor,
            actor_label=actor_label,
            payload=payload_of(appointment, origin=origin, serial=unit.serial if unit is not None else ""),
        )  # fmt: skip
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",)).select_related("center", "customer").get(pk=appointment.pk)
    )


def cancel_appointment(*, actor: Any, appointment: Appointment, reason: str = "", actor_label: str = "") -> Appointment:
    """Cancel a booked appointment that has not started; its place is freed."""
    require_perm(actor, "repairs.change_appointment")
    with transaction.atomic():
        current = _locked(appointment)
        if current.status != AppointmentStatus.BOOKED:
            raise refuse("status", _("Only a booked appointment can be cancelled (this one is %(status)s)")
                         % {"status": current.get_status_display()}, "wrong_status")  # fmt: skip
        if current.starts_at <= clock.now():
            raise refuse("starts_at", _("This appointment has already started; it can no longer be cancelled"), "past")
        current.status = AppointmentStatus.CANCELLED
        current.cancelled_at = clock.now()
        current.cancel_reason = reason.strip()[:300]
        current.remind_at = current.due_at = None
        current.save(update_fields=["status", "cancelled_at", "cancel_reason", "remind_at", "due_at"])
        _release_place(current.slot_id)
        record_event(
            name="appointment.cancelled", customer=current.customer, subject=current, actor=actor,
            actor_label=actor_label, payload=payload_of(current, reason=current.cancel_reason),
        )  # fmt: skip
    return current


def reschedule_appointment(
    *, actor: Any, appointment: Appointment, starts_at: dt.datetime, actor_label: str = ""
) -> Appointment:
    """Move a booked appointment to another free slot of the same centre (at most three times)."""
    require_perm(actor, "repairs.change_appointment")
    center = appointment.center
    slot = _check_slot(center, starts_at)
    with transaction.atomic():
        current = _locked(appointment)
        if current.status != AppointmentStatus.BOOKED:
            raise refuse("status", _("Only a booked appointment can be moved"), "wrong_status")
        if current.starts_at <= clock.now():
            raise refuse("starts_at", _("This appointment has already started; it can no longer be moved"), "past")
        if current.reschedule_count >= MAX_RESCHEDULES:
            raise refuse("starts_at", _("This appointment was moved too many times; cancel it and book again"),
                         "too_many")  # fmt: skip
        if slot.starts_at == current.starts_at:
            raise refuse("starts_at", _("The appointment is already at this time"), "same_slot")
        _check_overlap(current.customer, slot, exclude=current.pk)
        previous = current.starts_at
        row = _take_place(center, slot)
        _release_place(current.slot_id)
        current.slot = row
        current.starts_at, current.ends_at = slot.starts_at, slot.ends_at
        current.reschedule_count += 1
        _timers(current)
        current.save(update_fields=["slot", "starts_at", "ends_at", "reschedule_count", "remind_at", "due_at"])
        record_event(
            name="appointment.rescheduled", customer=current.customer, subject=current, actor=actor,
            actor_label=actor_label,
            payload=payload_of(current, previous=local_label(center, previous)),
        )  # fmt: skip
    return current


def check_in(
    *,
    actor: Any,
    appointment: Appointment,
    note: str = "",
    unit: Any = None,
    description: str = "",
    condition: str = "",
    accessories: Sequence[str] | str = (),
    photos: Sequence[Any] = (),
) -> Appointment:
    """Mark the customer as arrived (on the appointment's day) and, when the unit is known, receive it:
    the repair intake (a repair order with its written receipt) is created in the same transaction."""
    require_perm(actor, "repairs.check_in_appointment")
    with transaction.atomic():
        current = _locked(appointment)
        if current.status != AppointmentStatus.BOOKED:
            raise refuse("status", _("Only a booked appointment can be checked in (this one is %(status)s)")
                         % {"status": current.get_status_display()}, "wrong_status")  # fmt: skip
        zone = ZoneInfo(current.center.time_zone)
        if clock.now().astimezone(zone).date() != current.starts_at.astimezone(zone).date():
            raise refuse("starts_at", _("Check-in is possible on the day of the appointment only"), "wrong_day")
        received = unit or current.unit
        order = None
        if received is not None:
            order = receive_unit(
                actor=actor, unit=received, customer=current.customer, service_center=current.center,
                description=description.strip() or current.reason or _("Appointment %(code)s") % {"code": current.code},
                condition=condition, accessories=accessories, photos=photos,
            )  # fmt: skip
        current.status = AppointmentStatus.CHECKED_IN
        current.checked_in_at = clock.now()
        current.remind_at = current.due_at = None
        current.repair_order = order
        if received is not None and current.unit_id is None:
            current.unit = received
        current.save(update_fields=["status", "checked_in_at", "remind_at", "due_at", "repair_order", "unit"])
        record_event(
            name="appointment.checked_in", customer=current.customer, subject=current, actor=actor,
            payload=payload_of(current, note=note.strip()[:300], repair_order=order.code if order else ""),
        )  # fmt: skip
    return current


def send_reminders(rows: Sequence[Appointment]) -> None:
    """Scheduler handler: a day before, emit the reminder for booked appointments (the message gets the signed
    link at send time, `links.appointment`)."""
    for appointment in Appointment.objects.filter(pk__in=[r.pk for r in rows]).select_related("center", "customer"):
        if appointment.status == AppointmentStatus.BOOKED:
            record_event(
                name="appointment.reminder_due", customer=appointment.customer, subject=appointment,
                actor_label="system",
                payload=payload_of(appointment),
            )  # fmt: skip
    Appointment.objects.filter(pk__in=[r.pk for r in rows]).update(remind_at=None)


def mark_no_shows(rows: Sequence[Appointment]) -> None:
    """Scheduler handler: booked appointments nobody checked in two hours after their end are no-shows."""
    for appointment in Appointment.objects.filter(pk__in=[r.pk for r in rows]).select_related("center", "customer"):
        if appointment.status == AppointmentStatus.BOOKED:
            appointment.status = AppointmentStatus.NO_SHOW
            appointment.save(update_fields=["status"])
            record_event(name="appointment.no_show", customer=appointment.customer, subject=appointment,
                         actor_label="system", payload=payload_of(appointment))  # fmt: skip
    Appointment.objects.filter(pk__in=[r.pk for r in rows]).update(due_at=None, remind_at=None)
