"""Proactive care on deliveries: late, stuck, failed and returned deliveries tell the customer through the
built-in journeys and open one care task for the team per delivery and problem (also under parallel workers)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import clock, scheduler
from haumai.customers.models import Consent
from haumai.events.models import Event
from haumai.events.services import dispatch_events
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import CareTask, JourneyRun, Outcome, StepRun
from haumai.messaging.models import Delivery
from haumai.shipping.models import Shipment
from haumai.shipping.services.lateness import handle_late
from haumai.shipping.services.outbound import register_outbound
from haumai.shipping.services.tracking import flag_delayed
from haumai.shipping.tests.test_outbound import _order
from haumai.shipping.tests.test_webhooks import post

# 10:00 in Ho Chi Minh City on a weekday.
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
CARE_SOURCES = ("events.dispatch", "journeys.runs")


@pytest.fixture
def frozen() -> Any:
    clock.freeze(NOW)
    forget_journeys()
    yield
    clock.unfreeze()


def _tick(capture: Any) -> None:
    with capture(execute=True):
        for source in scheduler.registered():
            if source.name in CARE_SOURCES:
                scheduler.run_source(source, batch_size=500)


def _delivery(customer: Any, make_staff: Any, code: str = "GHN-CARE-1", n: int = 1) -> Shipment:
    order = _order(customer, n)
    registered = register_outbound(
        actor=make_staff("manager"), order_code=order.code, carrier_code="ghn", tracking_code=code,
        promised_at=NOW + dt.timedelta(days=1),
    )  # fmt: skip
    return registered.shipment


def _report(carriers: Any, shipment: Shipment, raw_code: str, *, hours: int) -> None:
    at = NOW + dt.timedelta(hours=hours)
    clock.freeze(max(at, clock.now()))  # the carrier reports as it happens
    response = post(carriers.webhook("ghn", shipment.tracking_code, raw_code, at=at))
    assert response.status_code == 200, response.content


@pytest.fixture
def emailable(db: Any) -> Any:
    from haumai.customers.services import create_customer

    return create_customer(
        actor=None, full_name="Trần Văn Minh", phone="0987654321", email="minh@example.vn", actor_label="test"
    )


@pytest.mark.django_db
def test_a_late_delivery_tells_the_customer_and_opens_a_task(
    emailable: Any, make_staff: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shipment = _delivery(emailable, make_staff)
    clock.advance(dt.timedelta(days=1, hours=2))
    handle_late([Shipment.objects.get(pk=shipment.pk)])
    event = Event.objects.get(name="delivery.late")
    assert event.customer_id == emailable.pk and event.payload["order_code"] == shipment.reference
    assert event.payload["promised_date"] == "02/12/2026" and event.payload["carrier_name"]

    _tick(django_capture_on_commit_callbacks)
    task = CareTask.objects.get()
    assert task.customer_id == emailable.pk and task.subject_label == shipment.code
    assert task.run is not None and task.run.journey.key == "delivery-late"
    delivery = Delivery.objects.get(template_key="delivery.late")
    assert delivery.channel == "email" and shipment.reference in delivery.body_text
    assert "02/12/2026" in delivery.body_text


@pytest.mark.django_db
def test_failed_attempts_and_the_return_each_give_one_task(
    emailable: Any, make_staff: Any, frozen: Any, carriers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shipment = _delivery(emailable, make_staff)
    _report(carriers, shipment, "picked", hours=1)
    _report(carriers, shipment, "delivery_fail", hours=5)
    _report(carriers, shipment, "delivering", hours=20)
    _report(carriers, shipment, "delivery_fail", hours=24)  # a second failed attempt: the same problem
    _tick(django_capture_on_commit_callbacks)
    assert Event.objects.filter(name="delivery.failed").count() == 2
    assert list(CareTask.objects.values_list("run__journey__key", flat=True)) == ["delivery-failed"]
    assert Delivery.objects.filter(template_key="delivery.failed").count() == 1

    _report(carriers, shipment, "returned", hours=48)
    _tick(django_capture_on_commit_callbacks)
    keys = sorted(CareTask.objects.values_list("run__journey__key", flat=True))
    assert keys == ["delivery-failed", "delivery-returned"]
    assert Delivery.objects.filter(template_key="delivery.returned").count() == 1


@pytest.mark.django_db
def test_a_stuck_delivery_opens_a_task_and_the_delay_journey_writes(
    emailable: Any, make_staff: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shipment = _delivery(emailable, make_staff)
    clock.advance(dt.timedelta(hours=72))
    locked = Shipment.objects.select_related("carrier", "customer").get(pk=shipment.pk)
    flag_delayed(locked)
    _tick(django_capture_on_commit_callbacks)
    assert list(CareTask.objects.values_list("run__journey__key", flat=True)) == ["delivery-stuck"]
    # One notice to the customer: the existing delay journey's, not a second one from the care journey.
    assert list(Delivery.objects.values_list("template_key", flat=True)) == ["shipment.delayed"]


@pytest.mark.django_db
def test_a_return_pickup_that_fails_is_not_a_delivery_problem(
    make_shipment: Any, carriers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shipment = make_shipment("ghn")  # reverse: the customer's return parcel (returns handles it)
    scheduler.tick()
    shipment.refresh_from_db()
    assert shipment.tracking_code
    assert post(carriers.webhook("ghn", shipment.tracking_code, "delivery_fail")).status_code == 200
    assert Event.objects.filter(name="shipment.failed").exists()
    assert not Event.objects.filter(name__startswith="delivery.").exists()


@pytest.mark.django_db
def test_withdrawn_service_consent_skips_the_message_not_the_task(
    emailable: Any, make_staff: Any, frozen: Any, carriers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for channel in ("email", "sms", "zalo", "zns"):
        Consent.objects.create(customer=emailable, purpose="service", channel=channel, granted=False,
                               recorded_at=clock.now(), source="test")  # fmt: skip
    shipment = _delivery(emailable, make_staff)
    _report(carriers, shipment, "delivery_fail", hours=5)
    _tick(django_capture_on_commit_callbacks)
    assert CareTask.objects.count() == 1
    assert not Delivery.objects.exists()
    send = StepRun.objects.get(kind="send")
    assert send.outcome == Outcome.SKIPPED and send.reason in ("no_consent", "no_reachable_channel")


@pytest.mark.django_db
def test_quiet_hours_do_not_hold_a_delivery_notice(
    emailable: Any, make_staff: Any, carriers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    night = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)  # 23:00 in Ho Chi Minh City
    clock.freeze(night)
    forget_journeys()
    try:
        shipment = _delivery(emailable, make_staff)
        response = post(carriers.webhook("ghn", shipment.tracking_code, "delivery_fail", at=night))
        assert response.status_code == 200
        _tick(django_capture_on_commit_callbacks)
        assert Delivery.objects.filter(template_key="delivery.failed").count() == 1
    finally:
        clock.unfreeze()


@pytest.mark.django_db
def test_the_console_shows_the_care_sentence(
    emailable: Any, make_staff: Any, frozen: Any, carriers: Any, client: Any
) -> None:
    shipment = _delivery(emailable, make_staff)
    _report(carriers, shipment, "delivery_fail", hours=5)
    client.force_login(make_staff("agent"))
    page = client.get(f"/console/shipping/{shipment.code}/").content.decode()
    assert "failed an attempt: follow-up started" in page


@pytest.mark.django_db(transaction=True)
def test_parallel_dispatch_of_one_problem_opens_one_task(customer: Any, make_staff: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    forget_journeys()
    shipments = [_delivery(customer, make_staff, code=f"GHN-PAR-{n}", n=n + 1) for n in range(5)]
    clock.advance(dt.timedelta(days=2))
    handle_late(list(Shipment.objects.filter(pk__in=[s.pk for s in shipments])))
    # The same lateness reported again for each delivery (e.g. a replayed check): two events per problem.
    for event in list(Event.objects.filter(name="delivery.late")):
        Event.objects.create(
            name=event.name, occurred_at=event.occurred_at, customer_id=event.customer_id,
            subject_type=event.subject_type, subject_id=event.subject_id, actor_label="system",
            payload=event.payload,
        )  # fmt: skip
    events = list(Event.objects.filter(name="delivery.late").order_by("id"))
    assert len(events) == 10
    barrier = threading.Barrier(4, timeout=60)
    errors: list[str] = []

    def work(batch: list[Event]) -> None:
        try:
            barrier.wait()
            dispatch_events(batch)
        except BaseException as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    # Four workers, each given every event (the worst case a broken claim could produce).
    threads = [threading.Thread(target=work, args=(events[::-1] if n % 2 else events,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert JourneyRun.objects.filter(journey__key="delivery-late").count() == 5
    for _ in range(3):
        scheduler.tick()
    late = CareTask.objects.filter(run__journey__key="delivery-late")  # (two days of silence also make them stuck)
    assert late.count() == 5
    assert sorted(late.values_list("subject_label", flat=True)) == sorted(s.code for s in shipments)
