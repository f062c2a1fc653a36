"""Date rules: birthday, warranty expiry, maintenance; enrolled in bulk once a day, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.journeys.enrollment import enroll_for_day, next_enrollment
from haumai.journeys.models import Journey, JourneyRun, RunStatus
from haumai.journeys.rules import add_months
from haumai.journeys.tests.conftest import MORNING, deliver, grant, only, place_order, tick
from haumai.messaging.models import Delivery
from haumai.sales.models import Order

pytestmark = pytest.mark.django_db


def customer(code: str, birth_date: dt.date | None, **fields: Any) -> Customer:
    return Customer.objects.create(
        code=code, full_name=f"Khách {code}", search_key=code.lower(), birth_date=birth_date, **fields
    )


def test_birthday_enrolls_todays_birthdays_once_a_year(db: Any, morning: Any, capture: Any) -> None:
    only("birthday-greeting")
    today = clock.today()
    lan = customer("C1", today.replace(year=1990), email="lan@example.vn", preferred_channel="email")
    grant(lan, "marketing", "email")
    customer("C2", today.replace(year=1985) + dt.timedelta(days=1))
    customer("C3", None)
    Journey.objects.filter(key="birthday-greeting").update(next_enrollment_at=MORNING)
    tick(capture)
    run = JourneyRun.objects.get()
    assert (run.customer_id, run.entry_key, run.subject_label) == (lan.pk, str(today.year), "C1")
    assert Delivery.objects.get().template_key == "birthday.greeting"
    # Enrolling the same day again changes nothing; the next enrollment is tomorrow at the enrollment hour.
    journey = Journey.objects.get(key="birthday-greeting")
    assert enroll_for_day(journey=journey, day=today) == 0
    assert journey.next_enrollment_at == next_enrollment(MORNING)
    assert JourneyRun.objects.count() == 1


def test_birthday_on_29_february_is_celebrated_on_28_february(db: Any) -> None:
    leap = customer("C1", dt.date(2000, 2, 29))
    journey = Journey.objects.get(key="birthday-greeting")
    with clock.frozen(MORNING):
        assert enroll_for_day(journey=journey, day=dt.date(2027, 2, 28)) == 1
    assert JourneyRun.objects.get().customer == leap


def test_warranty_expiry_reminder_30_days_before(catalog: Any, morning: Any, capture: Any) -> None:
    only("warranty-expiry-reminder")
    # The built-in journey listens to `warranty.expiring` (warranty records, warranty migration 0006); the
    # date rule on the product's months stays available for journeys built in the console.
    Journey.objects.filter(key="warranty-expiry-reminder").update(trigger_kind="warranty_expiry", trigger_event="")
    order = deliver(place_order())
    delivered_day = order.delivered_at.astimezone(clock.LOCAL_TZ).date()
    expires = add_months(delivered_day, 24)  # appliance: 24 months from delivery
    journey = Journey.objects.get(key="warranty-expiry-reminder")
    with clock.frozen(MORNING):
        assert enroll_for_day(journey=journey, day=expires - dt.timedelta(days=31)) == 0
        assert enroll_for_day(journey=journey, day=expires - dt.timedelta(days=30)) == 1
        assert enroll_for_day(journey=journey, day=expires - dt.timedelta(days=30)) == 0
    run = JourneyRun.objects.get()
    assert run.subject_type == "sales.orderline"
    assert run.subject_label == f"{order.code} AC-1"
    tick(capture)
    delivery = Delivery.objects.get()
    assert delivery.template_key == "warranty.expiring"
    assert delivery.channel == "email"  # no ZNS/Zalo template for this key: next channel in the order
    assert JourneyRun.objects.get().status == RunStatus.COMPLETED


def test_maintenance_every_interval_by_category(catalog: Any, morning: Any) -> None:
    order = deliver(place_order())
    place_order(phone="0912000111", sku="CASE")  # not an air conditioner
    Order.objects.filter(customer__phone="+84912000111").update(status="delivered")
    placed = order.placed_at.astimezone(clock.LOCAL_TZ).date()
    journey = Journey.objects.get(key="air-conditioner-maintenance")
    assert enroll_for_day(journey=journey, day=placed + dt.timedelta(days=179)) == 0
    assert enroll_for_day(journey=journey, day=placed + dt.timedelta(days=180)) == 1
    assert enroll_for_day(journey=journey, day=placed + dt.timedelta(days=360)) == 1
    assert sorted(JourneyRun.objects.values_list("entry_key", flat=True)) == ["1", "2"]


def test_add_months_clamps_to_the_last_day() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 2) == dt.date(2027, 2, 15)


def test_enrolled_at_night_the_runs_start_when_quiet_hours_end(db: Any) -> None:
    customer("C1", dt.date(1990, 3, 3))
    journey = Journey.objects.get(key="birthday-greeting")
    midnight = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)  # 00:00 on 3 March in Vietnam
    with clock.frozen(midnight):
        assert enroll_for_day(journey=journey, day=clock.today()) == 1
    assert JourneyRun.objects.get().due_at == dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)  # 08:00 local


def test_settings_are_checked(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from haumai.journeys import conf

    settings.HAUMAI_JOURNEYS_QUIET_HOURS = "22h-7h"
    with pytest.raises(ImproperlyConfigured, match="HH:MM-HH:MM"):
        conf.quiet_hours()
    settings.HAUMAI_JOURNEYS_QUIET_HOURS = "off"
    assert conf.quiet_hours() is None
    settings.HAUMAI_JOURNEYS_MARKETING_CAP = "many"
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        conf.marketing_cap()
