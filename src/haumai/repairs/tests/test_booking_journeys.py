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


def _signed_links_in(text: str) -> list[str]:
    """Booking and appointment links (their signed tokens) found in a stored text."""
    import re

    return re.findall(r"/portal/appointments/(?:link|maintenance)/([^/\s\"]+)/", text)


def test_no_signed_link_is_stored_in_events_or_webhooks(django_capture_on_commit_callbacks: Any) -> None:
    """Payloads reach the timeline and webhook subscribers: they name the appointment or the schedule, and
    the signed link exists only in the message to the customer, built when it is sent."""
    import json

    from haumai.events.models import Event
    from haumai.messaging.models import WebhookSubscription
    from haumai.messaging.webhooks import forget_cached_subscriptions
    from haumai.repairs.booking import links

    only("appointment-booked", "appointment-reminder", "maintenance-due-reminder")
    forget_cached_subscriptions()
    WebhookSubscription.objects.create(name="ERP", url="http://127.0.0.1:9/hooks", secret="s3cret",
                                       event_patterns="appointment.*, maintenance.*")  # fmt: skip
    clock.freeze(MONDAY.astimezone(dt.UTC))
    customer = create_customer(actor=None, full_name="Trần Thị Lan", phone="0912345678", email="lan@example.vn")
    category = Category.objects.create(code="dieu-hoa", name="Điều hòa")
    product = create_product(actor=None, sku="AC-9", name="Điều hòa Daikin 1HP", is_serialized=True,
                             category_code="dieu-hoa")  # fmt: skip
    MaintenancePlan.objects.create(name="Vệ sinh điều hòa", category=category, interval_months=6, onsite=True)
    unit = create_unit(actor=None, product=product, serial="DK-0001")
    (schedule,) = maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 6, 14))
    appointment = services.book_appointment(
        actor=None, customer=customer, center=make_center(), starts_at=at(dt.date(2026, 12, 8), 9), unit=unit
    )
    appointment = services.reschedule_appointment(actor=None, appointment=appointment,
                                                  starts_at=at(dt.date(2026, 12, 8), 10))  # fmt: skip
    clock.freeze(at(dt.date(2026, 12, 7), 10, 30))  # the reminder (a day before) and the maintenance (a week)
    _run_booking_sources(django_capture_on_commit_callbacks)
    for _round in range(3):
        tick(django_capture_on_commit_callbacks)
    names = set(Event.objects.values_list("name", flat=True))
    assert {"appointment.booked", "appointment.rescheduled", "appointment.reminder_due", "maintenance.due"} <= names
    for event in Event.objects.all():
        stored = json.dumps(event.payload)
        assert "link" not in event.payload and not _signed_links_in(stored), (event.name, stored)
        assert links.LINK_SALT not in stored and maintenance.LINK_SALT not in stored
    webhooks = Delivery.objects.filter(channel="webhook")
    assert set(webhooks.values_list("template_key", flat=True)) >= {"appointment.booked", "maintenance.due"}
    for delivery in webhooks:
        assert not _signed_links_in(json.dumps(delivery.payload)), delivery.payload
    # The messages carry working links: the appointment's (at its new time) and the schedule's booking link.
    bodies = {d.template_key: d.body_text for d in Delivery.objects.filter(channel="email")}
    assert set(bodies) == {"appointment.booked", "appointment.reminder", "maintenance.due"}
    for key in ("appointment.booked", "appointment.reminder"):
        (token,) = _signed_links_in(bodies[key])
        assert links.code_from_token(token) == appointment.code
    (token,) = _signed_links_in(bodies["maintenance.due"])
    assert maintenance.schedule_from_token(token) == schedule
    forget_cached_subscriptions()


def test_the_migration_removes_links_already_stored(db: Any) -> None:
    """Events and webhook copies written before the links moved out lose them; a maintenance event gets the
    schedule id its message needs."""
    import importlib

    from django.apps import apps

    from haumai.events.models import Event
    from haumai.events.services import record_event

    migration = importlib.import_module("haumai.repairs.migrations.0008_booking_links_at_send_time")
    clock.freeze(MONDAY.astimezone(dt.UTC))
    customer = create_customer(actor=None, full_name="Trần Thị Lan", phone="0912345678", email="lan@example.vn")
    category = Category.objects.create(code="dieu-hoa", name="Điều hòa")
    product = create_product(actor=None, sku="AC-9", name="Điều hòa Daikin 1HP", is_serialized=True,
                             category_code="dieu-hoa")  # fmt: skip
    MaintenancePlan.objects.create(name="Vệ sinh điều hòa", category=category, interval_months=6, onsite=True)
    unit = create_unit(actor=None, product=product, serial="DK-0001")
    (schedule,) = maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 6, 14))
    old_link = "https://shop.example.vn/portal/appointments/maintenance/eyJzIjoxfQ:sig/"
    due = record_event(name="maintenance.due", customer=customer, subject=unit,
                       payload={"plan": "Vệ sinh điều hòa", "serial": "DK-0001", "link": old_link})  # fmt: skip
    booked = record_event(
        name="appointment.booked",
        customer=customer,
        payload={"code": "AP-2026-000001", "link": "https://x/portal/appointments/link/t:s/"},
    )
    hook = Delivery.objects.create(
        idempotency_key="webhook:1:1", customer=customer, channel="webhook", template_key="maintenance.due",
        destination="http://127.0.0.1:9/hooks", payload={"event": "maintenance.due", "payload": dict(due.payload)},
        tracking_id="t-1", created_at=clock.now(),
    )  # fmt: skip
    migration.forward(apps, None)
    due, booked = Event.objects.get(pk=due.pk), Event.objects.get(pk=booked.pk)
    assert due.payload == {"plan": "Vệ sinh điều hòa", "serial": "DK-0001", "schedule": schedule.pk}
    assert booked.payload == {"code": "AP-2026-000001"}
    hook.refresh_from_db()
    assert "link" not in hook.payload["payload"] and hook.payload["event"] == "maintenance.due"
    # The built-in templates read the send-time links now (a new version; the old one is kept).
    from haumai.messaging.models import Template

    for template in Template.objects.filter(key__in=["maintenance.due", "appointment.booked"]):
        assert "payload.link" not in template.current_version.body_text, template
