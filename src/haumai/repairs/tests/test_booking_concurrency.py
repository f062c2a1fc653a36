"""Parallel clients never over-book a slot nor double-book a technician (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.customers.services import AddressInput, add_address, create_customer
from haumai.repairs.booking import services, visits
from haumai.repairs.models import Appointment, AppointmentSlot, AppointmentStatus, OnSiteVisit
from haumai.repairs.tests.booking_helpers import MONDAY, at, make_center

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
TUESDAY = dt.date(2026, 12, 8)


def _race(count: int, work: Callable[[int], None]) -> list[str]:
    barrier = threading.Barrier(count, timeout=60)
    outcomes: list[str] = []

    def run(index: int) -> None:
        try:
            with clock.frozen(MONDAY.astimezone(dt.UTC)):
                barrier.wait()
                work(index)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_the_last_places_never_over_book() -> None:
    with clock.frozen(MONDAY.astimezone(dt.UTC)):
        center = make_center("race", capacity=3)
        customers = [create_customer(actor=None, full_name=f"Khách {n}", phone=f"0912{n:06d}") for n in range(12)]
    start = at(TUESDAY, 9)

    def book(index: int) -> None:
        services.book_appointment(actor=None, customer=customers[index], center=center, starts_at=start)

    outcomes = _race(12, book)
    assert outcomes == ["ok"] * 3 + ["slot_taken"] * 9, outcomes
    assert AppointmentSlot.objects.get(center=center, starts_at=start).booked == 3
    assert Appointment.objects.filter(center=center, starts_at=start, status=AppointmentStatus.BOOKED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_parallel_cancel_and_book_keep_the_counter_exact() -> None:
    with clock.frozen(MONDAY.astimezone(dt.UTC)):
        center = make_center("race-2", capacity=1)
        first, *others = [create_customer(actor=None, full_name=f"Khách {n}", phone=f"0913{n:06d}") for n in range(6)]
        booked = services.book_appointment(actor=None, customer=first, center=center, starts_at=at(TUESDAY, 10))

    def act(index: int) -> None:
        if index == 0:
            services.cancel_appointment(actor=None, appointment=booked)
        else:
            services.book_appointment(actor=None, customer=others[index - 1], center=center, starts_at=at(TUESDAY, 10))

    _race(6, act)
    live = Appointment.objects.filter(center=center, status=AppointmentStatus.BOOKED).count()
    assert live <= 1
    assert AppointmentSlot.objects.get(center=center).booked == live


@pytest.mark.django_db(transaction=True)
def test_parallel_visits_never_double_book_a_technician(make_staff: Any) -> None:
    technician = make_staff("technician")
    agent = make_staff("agent")
    with clock.frozen(MONDAY.astimezone(dt.UTC)):
        customers = []
        for n in range(8):
            customer = create_customer(actor=None, full_name=f"Khách {n}", phone=f"0914{n:06d}")
            address = add_address(actor=None, customer=customer,
                                  address=AddressInput(street=f"{n} Láng Hạ", province_code=1))  # fmt: skip
            customers.append((customer, address))

    def plan(index: int) -> None:
        customer, address = customers[index]
        # Overlapping windows: 09:00-11:00 shifted by 15 minutes each.
        start = at(TUESDAY, 9) + dt.timedelta(minutes=15 * index)
        visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=start,
                              window_end=start + dt.timedelta(hours=2), technician=technician)  # fmt: skip

    outcomes = _race(8, plan)
    assert outcomes == ["ok"] + ["technician_busy"] * 7, outcomes
    assert OnSiteVisit.objects.filter(technician=technician).count() == 1
