"""Done-when: a maintenance due on a unit and a booked appointment reach the customer through journeys,
with the signed link in the message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.catalog.models import Category
from haumai.catalog.services import create_product, create_unit
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import JourneyRun
from haumai.journeys.tests.conftest import only, tick
from haumai.messaging.models import Delivery
from haumai.repairs.booking import maintenance, services
from haumai.repairs.models import MaintenancePlan
from haumai.repairs.tests.booking_helpers import MONDAY, at, make_center

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_journey_cache() -> Iterator[None]:
    """`only()` switches journeys off inside the test's transaction: forget the cached list after it."""
    forget_journeys()
    yield
    forget_journeys()


def _run_booking_sources(capture: Any) -> None:
    from haumai.core import scheduler

    with capture(execute=True):
        for source in scheduler.registered():
            if source.name.startswith("repairs."):
                scheduler.run_source(source, batch_size=100)


def test_maintenance_due_is_sent_with_the_booking_link(django_capture_on_commit_callbacks: Any) -> None:
    only("maintenance-due-reminder")
    clock.freeze(MONDAY.astimezone(dt.UTC))
    customer = create_customer(actor=None, full_name="Trần Thị Lan", phone="0912345678", email="lan@example.vn")
    category = Category.objects.create(code="dieu-hoa", name="Điều hòa")
    product = create_product(actor=None, sku="AC-9", name="Điều hòa Daikin 1HP", is_serialized=True,
                             category_code="dieu-hoa")  # fmt: skip
    MaintenancePlan.objects.create(name="Vệ sinh điều hòa", category=category, interval_months=6, onsite=True)
    unit = create_unit(actor=None, product=product, serial="DK-0001")
    maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 6, 14))
    _run_booking_sources(django_capture_on_commit_callbacks)  # due 14/12, reminded from 07/12 09:00
    clock.freeze(at(dt.date(2026, 12, 7), 9, 30))
    _run_booking_sources(django_capture_on_commit_callbacks)
    for _round in range(3):
        tick(django_capture_on_commit_callbacks)
    assert JourneyRun.objects.filter(journey__key="maintenance-due-reminder", customer=customer).exists()
    delivery = Delivery.objects.get(template_key="maintenance.due")
    assert "/portal/appointments/maintenance/" in (delivery.body_text or "")


def test_a_booked_appointment_is_confirmed_with_its_link(django_capture_on_commit_callbacks: Any) -> None:
    only("appointment-booked")
    clock.freeze(MONDAY.astimezone(dt.UTC))
    customer = create_customer(actor=None, full_name="Trần Thị Lan", phone="0912345678", email="lan@example.vn")
    center = make_center()
    appointment = services.book_appointment(
        actor=None, customer=customer, center=center, starts_at=at(dt.date(2026, 12, 8), 9)
    )
    for _round in range(3):
        tick(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(template_key="appointment.booked")
    assert appointment.code in delivery.body_text and "/portal/appointments/link/" in delivery.body_text
