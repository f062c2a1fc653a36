"""Appointments: booking free slots, refusals that change nothing, cancel/reschedule rules, check-in
(with the repair intake), reminders and no-shows from the scheduler tick, signed links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.services import create_product, create_unit
from haumai.core import clock, scheduler
from haumai.core.errors import DomainError, Forbidden
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.repairs.booking import links, services
from haumai.repairs.booking.centers import add_closed_day
from haumai.repairs.booking.common import SlotTaken
from haumai.repairs.models import Appointment, AppointmentSlot, AppointmentStatus, RepairOrder
from haumai.repairs.tests.booking_helpers import at

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 8)


def _refused(code: str, call: Any) -> DomainError:
    before = (Appointment.objects.count(), list(AppointmentSlot.objects.values_list("booked", flat=True)),
              Event.objects.count())  # fmt: skip
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code or any(e.code == code for e in caught.value.errors), caught.value
    after = (Appointment.objects.count(), list(AppointmentSlot.objects.values_list("booked", flat=True)),
             Event.objects.count())  # fmt: skip
    assert before == after, "a refusal changed something"
    return caught.value


def test_booking_a_free_slot(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center,
                                            starts_at=at(TUESDAY, 9), reason="Máy giặt kêu to")  # fmt: skip
    assert appointment.code.startswith("AP-2026-") and len(appointment.code) == 14
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(hours=1)
    assert appointment.status == AppointmentStatus.BOOKED and AppointmentSlot.objects.get().booked == 1
    event = Event.objects.get(name="appointment.booked")
    assert event.customer == customer and event.payload["when"] == "08/12/2026 09:00"
    assert "link" not in event.payload  # the signed link is built in the message only
    link = links.appointment_links(event)["appointment"]
    assert links.code_from_token(link.rsplit("/", 2)[-2]) == appointment.code
    assert appointment.remind_at == at(dt.date(2026, 12, 7), 9)


def test_the_third_booking_of_a_two_place_slot_is_refused(center: Any, customer: Any, monday: Any) -> None:
    others = [create_customer(actor=None, full_name=f"Khách {n}", phone=f"09120000{n}0") for n in range(2)]
    for other in others:
        services.book_appointment(actor=None, customer=other, center=center, starts_at=at(TUESDAY, 10))
    error = _refused("slot_taken", lambda: services.book_appointment(
        actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 10)))  # fmt: skip
    assert isinstance(error, SlotTaken) and error.status == 409
    assert AppointmentSlot.objects.get().booked == 2


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (lambda: at(dt.date(2026, 12, 7), 8), "too_soon"),  # now
        (lambda: at(dt.date(2026, 12, 4), 9), "too_soon"),  # last Friday
        (lambda: at(TUESDAY, 9, 30), "not_a_slot"),  # between slots
        (lambda: at(TUESDAY, 12, 30), "not_a_slot"),  # lunch break
        (lambda: at(TUESDAY, 17), "not_a_slot"),  # the last slot would end after closing
        (lambda: at(dt.date(2026, 12, 13), 9), "not_a_slot"),  # Sunday
        (lambda: at(dt.date(2027, 1, 1), 9), "closed"),  # Tết Dương lịch
        (lambda: at(dt.date(2027, 3, 1), 9), "too_far"),
    ],
)
def test_bad_times_are_refused_with_a_field_error(
    center: Any, customer: Any, monday: Any, when: Any, code: str
) -> None:
    error = _refused(code, lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                            starts_at=when()))  # fmt: skip
    assert error.errors[0].field == "starts_at"


def test_a_closed_day_names_its_reason(center: Any, customer: Any, monday: Any) -> None:
    add_closed_day(actor=None, center=center, date=TUESDAY, reason="Kiểm kê")
    error = _refused("closed", lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                                starts_at=at(TUESDAY, 9)))  # fmt: skip
    assert "08/12/2026" in error.errors[0].message and "Kiểm kê" in error.errors[0].message


def test_other_refusals(center: Any, customer: Any, monday: Any, make_staff: Any) -> None:
    naive = dt.datetime(2026, 12, 8, 9, 0)
    _refused("invalid", lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                         starts_at=naive))  # fmt: skip
    _refused("too_long", lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                          starts_at=at(TUESDAY, 9), reason="x" * 501))  # fmt: skip
    warehouse = make_staff("warehouse")
    with pytest.raises(Forbidden):
        services.book_appointment(actor=warehouse, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    _refused("overlap", lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                         starts_at=at(TUESDAY, 9)))  # fmt: skip
    center.is_active = False
    center.save()
    _refused("inactive", lambda: services.book_appointment(actor=None, customer=customer, center=center,
                                                          starts_at=at(TUESDAY, 10)))  # fmt: skip


def test_an_idempotency_key_replays_the_same_booking(center: Any, customer: Any, monday: Any) -> None:
    first = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9),
                                      idempotency_key="pos-1")  # fmt: skip
    again = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9),
                                      idempotency_key="pos-1")  # fmt: skip
    assert again.pk == first.pk and AppointmentSlot.objects.get().booked == 1
    _refused("idempotency_conflict", lambda: services.book_appointment(
        actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 10), idempotency_key="pos-1"))  # fmt: skip


def test_cancel_frees_the_place_and_not_after_the_start(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    services.cancel_appointment(actor=None, appointment=appointment, reason="Bận việc")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and AppointmentSlot.objects.get().booked == 0
    assert appointment.remind_at is None and appointment.due_at is None
    _refused("wrong_status", lambda: services.cancel_appointment(actor=None, appointment=appointment))
    later = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 10))
    with clock.frozen(at(TUESDAY, 10, 5)):
        _refused("past", lambda: services.cancel_appointment(actor=None, appointment=later))


def test_reschedule_moves_the_place(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    moved = services.reschedule_appointment(actor=None, appointment=appointment, starts_at=at(TUESDAY, 14, 30))
    booked = dict(AppointmentSlot.objects.values_list("starts_at", "booked"))
    assert booked == {at(TUESDAY, 9): 0, at(TUESDAY, 14, 30): 1}
    assert moved.starts_at == at(TUESDAY, 14, 30) and moved.reschedule_count == 1
    assert Event.objects.get(name="appointment.rescheduled").payload["previous"] == "08/12/2026 09:00"
    _refused("same_slot", lambda: services.reschedule_appointment(actor=None, appointment=moved,
                                                                 starts_at=at(TUESDAY, 14, 30)))  # fmt: skip
    _refused("not_a_slot", lambda: services.reschedule_appointment(actor=None, appointment=moved,
                                                                  starts_at=at(TUESDAY, 14)))  # fmt: skip


def test_check_in_on_the_day_creates_the_repair_intake(center: Any, customer: Any, monday: Any,
                                                         make_staff: Any) -> None:  # fmt: skip
    agent = make_staff("agent")
    product = create_product(actor=None, sku="MG-LG-9", name="Máy giặt LG 9kg", is_serialized=True)
    unit = create_unit(actor=None, product=product, serial="LG9-0001")
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9),
                                            reason="Máy giặt không vắt", unit=unit)  # fmt: skip
    _refused("wrong_day", lambda: services.check_in(actor=agent, appointment=appointment))
    with clock.frozen(at(TUESDAY, 8, 50)):
        done = services.check_in(actor=agent, appointment=appointment, condition="Trầy nhẹ mặt trên",
                                 accessories="ống xả")  # fmt: skip
    assert done.status == AppointmentStatus.CHECKED_IN and done.repair_order is not None
    order = RepairOrder.objects.get()
    assert order.unit == unit and order.customer == customer and order.service_center == center
    assert Event.objects.get(name="appointment.checked_in").payload["repair_order"] == order.code
    assert done.due_at is None and done.remind_at is None


def test_check_in_refused_by_the_intake_changes_nothing(center: Any, customer: Any, monday: Any,
                                                          make_staff: Any) -> None:  # fmt: skip
    agent = make_staff("agent")
    product = create_product(actor=None, sku="TV-55", name="Tivi 55", is_serialized=True)
    unit = create_unit(actor=None, product=product, serial="TV55-1")
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    with clock.frozen(at(TUESDAY, 8, 50)):
        _refused("too_long", lambda: services.check_in(actor=agent, appointment=appointment, unit=unit,
                                                      description="x" * 4001))  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and not RepairOrder.objects.exists()


def test_the_tick_sends_the_reminder_and_marks_the_no_show(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    with clock.frozen(at(dt.date(2026, 12, 7), 9, 1)):
        scheduler.tick()
        scheduler.tick()
    reminders = Event.objects.filter(name="appointment.reminder_due")
    assert (
        reminders.count() == 1
        and "/portal/appointments/link/" in links.appointment_links(reminders.get())["appointment"]
    )
    with clock.frozen(at(TUESDAY, 12, 1)):
        scheduler.tick()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert Event.objects.filter(name="appointment.no_show").count() == 1


def test_signed_links_expire_a_day_after_the_appointment(center: Any, customer: Any, monday: Any) -> None:
    appointment = services.book_appointment(actor=None, customer=customer, center=center, starts_at=at(TUESDAY, 9))
    token = links.appointment_token(appointment.code, appointment.ends_at)
    assert links.code_from_token(token) == appointment.code
    assert links.code_from_token(token[:-2] + "xx") is None
    with clock.frozen(appointment.ends_at + dt.timedelta(days=1, minutes=1)):
        assert links.code_from_token(token) is None
