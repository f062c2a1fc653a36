"""The expiry reminder: a scheduler source emits `warranty.expiring` once per warranty, N days before its
last covered day, with the product's extended plan; the built-in journey sends it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.catalog.models import Category, Product
from haumai.core import clock, scheduler
from haumai.events.models import Event
from haumai.journeys.models import Journey
from haumai.messaging.models import Delivery
from haumai.warranty import services
from haumai.warranty.models import ExtendedPlan, Warranty
from haumai.warranty.services import expiry
from haumai.warranty.services.importing import ImportRow
from haumai.warranty.tests.conftest import Shop, deliver, dispatch

# iPhone 15 bought 01/03/2026 with 12 months: covered until 28/02/2027.
BEFORE_WINDOW = dt.datetime(2027, 1, 20, 3, 0, tzinfo=dt.UTC)
IN_WINDOW = dt.datetime(2027, 2, 1, 3, 0, tzinfo=dt.UTC)


def _source() -> scheduler.DueSource:
    return next(s for s in scheduler.registered() if s.name == "warranty.expiry_reminders")


def _plan() -> ExtendedPlan:
    phones = Category.objects.create(code="dien-thoai", name="Điện thoại")
    Product.objects.filter(sku="IP15").update(category=phones)
    return ExtendedPlan.objects.create(code="care-12", name="Bảo hành mở rộng 12 tháng", price=1_490_000,
                                       category=phones)  # fmt: skip


def _run_journeys() -> None:
    from haumai.journeys.engine import advance_runs
    from haumai.journeys.models import JourneyRun

    dispatch()
    advance_runs(list(JourneyRun.objects.filter(due_at__isnull=False)))


def test_the_reminder_goes_once_within_the_window_with_the_plan_offer(shop: Shop, settings: Any) -> None:
    settings.HAUMAI_JOURNEYS_QUIET_HOURS = "off"
    _plan()
    deliver(shop.an, sku="IP15", serial="F2LXK001")
    warranty = Warranty.objects.get(unit__serial="F2LXK001")
    assert warranty.ends_on == dt.date(2027, 2, 28)
    with clock.frozen(BEFORE_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 0
    with clock.frozen(IN_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 1
        assert scheduler.run_source(_source(), batch_size=50) == 0  # once per warranty
        event = Event.objects.get(name="warranty.expiring")
        assert event.subject_type == "catalog.unit" and event.payload["code"] == warranty.code
        assert event.payload["days_left"] == 27 and event.payload["plan_name"] == "Bảo hành mở rộng 12 tháng"
        journey = Journey.objects.get(key="warranty-expiry-reminder")
        assert journey.trigger_kind == "event" and journey.trigger_event == "warranty.expiring"
        _run_journeys()
    body = Delivery.objects.get(customer=shop.an, template_key="warranty.expiring").body_text
    assert "28/02/2027" in body and "Bảo hành mở rộng 12 tháng" in body and "1.490.000" in body


def test_no_plan_no_offer_and_a_plan_holder_is_reminded_before_the_plan_ends(shop: Shop) -> None:
    plan = _plan()
    deliver(shop.an, sku="IP15", serial="F2LXK002")
    deliver(shop.binh, sku="IP15", serial="F2LXK003")
    covered = Warranty.objects.get(unit__serial="F2LXK003")
    services.sell_plan(actor=None, warranty=covered, plan=plan)  # 01/03/2027 - 29/02/2028 (12 months)
    covered.refresh_from_db()
    assert covered.ends_on == dt.date(2027, 2, 28) and covered.covered_until == dt.date(2028, 2, 29)
    ExtendedPlan.objects.update(is_active=False)
    with clock.frozen(IN_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 1  # the plan covers beyond: not yet
    events = list(Event.objects.filter(name="warranty.expiring"))
    assert [e.payload["serial"] for e in events] == ["F2LXK002"] and events[0].payload["plan_name"] == ""
    with clock.frozen(dt.datetime(2028, 2, 1, 3, 0, tzinfo=dt.UTC)):
        assert scheduler.run_source(_source(), batch_size=50) == 1
    last = Event.objects.filter(name="warranty.expiring").latest("id")
    assert last.payload["serial"] == "F2LXK003" and last.payload["ends_on"] == "2028-02-29"
    assert last.payload["by_plan"] is True
    assert Warranty.objects.filter(expiry_reminded_at__isnull=True, status="active").count() == 0


def test_a_moved_end_sends_a_second_reminder_for_the_new_end(shop: Shop, settings: Any) -> None:
    """Reminded of 28/02/2027, then 12 days in warranty service: the reminder is re-armed for 12/03/2027 and
    the customer gets a second message with the new date; the same end is never reminded twice."""
    settings.HAUMAI_JOURNEYS_QUIET_HOURS = "off"
    deliver(shop.an, sku="IP15", serial="F2LXK010")
    warranty = Warranty.objects.get(unit__serial="F2LXK010")
    with clock.frozen(IN_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 1
        _run_journeys()
        warranty.refresh_from_db()
        assert warranty.expiry_reminded_for == dt.date(2027, 2, 28)
        services.extend_warranty(actor=None, warranty=warranty, kind="service_days", days=12, reference="RO-1")
        warranty.refresh_from_db()
        assert warranty.covered_until == dt.date(2027, 3, 12) and warranty.expiry_reminded_at is None
        assert scheduler.run_source(_source(), batch_size=50) == 0  # the window ends 03/03: not yet
    assert Event.objects.filter(name="warranty.expiring").count() == 1
    with clock.frozen(dt.datetime(2027, 2, 11, 3, 0, tzinfo=dt.UTC)):
        assert scheduler.run_source(_source(), batch_size=50) == 1
        assert scheduler.run_source(_source(), batch_size=50) == 0
        _run_journeys()
    second = Event.objects.filter(name="warranty.expiring").latest("id")
    assert second.payload["ends_on"] == "2027-03-12" and second.payload["previous_ends_on"] == "2027-02-28"
    bodies = list(
        Delivery.objects.filter(customer=shop.an, template_key="warranty.expiring").order_by("id")
        .values_list("body_text", flat=True)
    )  # fmt: skip
    assert len(bodies) == 2 and "28/02/2027" in bodies[0] and "12/03/2027" in bodies[1]


def test_a_plan_sold_or_cancelled_after_the_reminder_moves_it(shop: Shop) -> None:
    plan = _plan()
    deliver(shop.an, sku="IP15", serial="F2LXK011")
    warranty = Warranty.objects.get(unit__serial="F2LXK011")
    with clock.frozen(IN_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 1
        coverage, _created = services.sell_plan(actor=None, warranty=warranty, plan=plan)
        warranty.refresh_from_db()
        assert warranty.covered_until == coverage.ends_on and warranty.expiry_reminded_at is None
        assert scheduler.run_source(_source(), batch_size=50) == 0  # the plan's end is a year away
        services.cancel_plan(actor=None, coverage=coverage)
        warranty.refresh_from_db()
        # Back to the end the customer was already reminded of: reminded, nothing sent again.
        assert warranty.covered_until == dt.date(2027, 2, 28)
        assert scheduler.run_source(_source(), batch_size=50) == 1
    assert Event.objects.filter(name="warranty.expiring").count() == 1


def test_void_and_expired_warranties_are_not_reminded(shop: Shop) -> None:
    deliver(shop.an, sku="IP15", serial="F2LXK004")
    warranty = Warranty.objects.get(unit__serial="F2LXK004")
    services.void(actor=None, warranty=warranty, reason="staff", note="test")
    with clock.frozen(IN_WINDOW):
        assert scheduler.run_source(_source(), batch_size=50) == 0
    with clock.frozen(dt.datetime(2027, 3, 5, 3, 0, tzinfo=dt.UTC)):
        Warranty.objects.filter(pk=warranty.pk).update(status="active")
        assert scheduler.run_source(_source(), batch_size=50) == 0  # already ended: nothing to remind
    assert not Event.objects.filter(name="warranty.expiring").exists()


def test_the_window_follows_the_setting(shop: Shop, settings: Any) -> None:
    settings.HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS = 45
    deliver(shop.an, sku="IP15", serial="F2LXK005")
    with clock.frozen(BEFORE_WINDOW):  # 39 days before the end
        assert scheduler.run_source(_source(), batch_size=50) == 1
    settings.HAUMAI_WARRANTY_EXPIRY_REMINDER_DAYS = "abc"
    assert expiry.reminder_days() == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent workers")
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_remind_each_warranty_once(shop: Shop) -> None:
    rows = [ImportRow(serial=f"IMP{n:04d}", sku="IP15", phone=f"09120{n:05d}", purchased_on=dt.date(2026, 2, 20),
                      full_name=f"Khách {n}")
            for n in range(40)]  # fmt: skip
    services.import_warranties(actor=None, rows=rows)
    barrier = threading.Barrier(4, timeout=60)
    handled: list[int] = []

    def work() -> None:
        try:
            with clock.frozen(IN_WINDOW):
                barrier.wait()
                while (count := scheduler.run_source(_source(), batch_size=5)) > 0:
                    handled.append(count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(handled) == 40
    assert Event.objects.filter(name="warranty.expiring").count() == 40
    assert len(set(Event.objects.filter(name="warranty.expiring").values_list("payload__code", flat=True))) == 40
