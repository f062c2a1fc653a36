"""Restriction of processing (Law 91/2025 Art. 4(1)): set with evidence and actor, lifted explicitly, shown on
the 360 and the portal, and enforced where processing happens (journeys, messaging; segments and RFM are
tested in segments/tests/test_restricted_profiling.py)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from haumai.core import clock
from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import JourneyRun, Outcome, Reason, RunStatus, StepRun
from haumai.journeys.services import JourneyInput, StepInput, save_journey
from haumai.journeys.tests.conftest import catalog, deliver, grant, morning, only, place_order, tick  # noqa: F401
from haumai.messaging import dispatch
from haumai.messaging.models import Delivery, DeliveryStatus
from haumai.messaging.services import queue_message
from haumai.privacy import restrictions
from haumai.privacy.models import ProcessingRestriction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_journey_cache() -> Any:
    """Journeys made here must not stay in the engine's cached list for later tests."""
    forget_journeys()
    yield
    forget_journeys()


@pytest.fixture
def customer(db: Any) -> Customer:
    return create_customer(actor=None, full_name="Lê Thị Hoa", phone="0913000111", email="hoa@example.vn")


def staff(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_set_from_the_360_with_evidence_and_lift_explicitly(customer: Customer, make_staff: Any) -> None:
    manager, agent = make_staff("manager"), make_staff("agent")
    url = f"/console/privacy/customers/{customer.code}/restriction/"
    assert staff(agent).post(url + "set/", {"purposes": "marketing", "evidence": "x"}).status_code == 403
    client = staff(manager)
    refused = client.post(url + "set/", {"purposes": "marketing", "evidence": " "}, follow=True).content.decode()
    assert "Say what the person asked" in refused
    client.post(url + "set/", {"purposes": "nonsense", "evidence": "Gọi tổng đài"})
    assert not ProcessingRestriction.objects.exists()  # refused: nothing changed
    client.post(url + "set/", {"purposes": ["marketing", "profiling"], "evidence": "Gọi tổng đài ngày 3/12"})
    restriction = ProcessingRestriction.objects.get()
    assert restriction.purposes == ["marketing", "profiling"] and restriction.set_by == manager
    assert restriction.evidence == "Gọi tổng đài ngày 3/12" and restriction.lifted_at is None
    page = client.get(f"/console/customers/{customer.code}/").content.decode()
    assert 'data-restricted="yes"' in page and 'data-purpose="profiling"' in page
    assert "Gọi tổng đài ngày 3/12" in page
    client.post(url + "lift/", {"reason": ""})
    assert ProcessingRestriction.objects.get().lifted_at is None  # a reason is required
    client.post(url + "lift/", {"reason": "Khách gọi lại xin nhận ưu đãi"})
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None and restriction.lifted_by == manager
    assert 'data-restricted="no"' in client.get(f"/console/customers/{customer.code}/").content.decode()
    events = Event.objects.filter(customer=customer, name__startswith="privacy.").order_by("id")
    names = list(events.values_list("name", flat=True))
    assert names == ["privacy.processing_restricted", "privacy.restriction_lifted"]


def test_service_rules(customer: Customer, make_staff: Any) -> None:
    manager = make_staff("manager")
    with pytest.raises(Forbidden):
        restrictions.restrict_processing(actor=make_staff("agent"), customer=customer, purposes=["all"], evidence="x")
    with pytest.raises(ValidationFailed):
        restrictions.restrict_processing(actor=manager, customer=customer, purposes=[], evidence="x")
    with pytest.raises(Conflict):
        restrictions.lift_restriction(actor=manager, customer=customer, reason="nothing to lift")
    first = restrictions.restrict_processing(actor=manager, customer=customer, purposes=["marketing"], evidence="a")
    second = restrictions.restrict_processing(
        actor=manager, customer=customer, purposes=["all", "marketing"], evidence="b"
    )
    first.refresh_from_db()
    assert first.lifted_at is not None and second.purposes == ["all"]  # a new restriction replaces the old one
    assert restrictions.purposes_in_force([customer.pk])[customer.pk] == {
        "all", "marketing", "profiling", "automated_care"
    }


def test_the_portal_shows_and_takes_a_restriction(customer: Customer) -> None:
    client = Client()
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    assert 'data-restricted="no"' in client.get("/portal/privacy/").content.decode()
    refused = client.post("/portal/privacy/restrict/", {"purposes": "marketing", "details": ""})
    assert "error=restrict" in refused["Location"] and not ProcessingRestriction.objects.exists()
    client.post("/portal/privacy/restrict/", {"purposes": "automated_care", "details": "Đừng nhắn tự động nữa"})
    restriction = ProcessingRestriction.objects.get()
    assert restriction.purposes == ["automated_care"] and restriction.set_by is None
    assert restriction.set_by_label == "customer" and restriction.request is not None
    assert restriction.request.status == "completed" and restriction.evidence == "Đừng nhắn tự động nữa"
    page = client.get("/portal/privacy/").content.decode()
    assert 'data-restricted="yes"' in page and 'data-purpose="automated_care"' in page


def _journey(purpose: str) -> None:
    only("test")
    save_journey(actor=None, data=JourneyInput(
        key="test", name="Test", trigger_event="order.delivered", purpose=purpose, channel_order=["email"],
        steps=[StepInput(kind="wait", wait_hours=1), StepInput(kind="send", template_key="order.thank_you")],
    ))  # fmt: skip


@pytest.mark.parametrize(("purpose", "restricted"), [("marketing", "marketing"), ("service", "automated_care")])
def test_journeys_do_not_enrol_or_advance_restricted_customers(
    catalog: Any, morning: Any, django_capture_on_commit_callbacks: Any, make_staff: Any,  # noqa: F811
    purpose: str, restricted: str,
) -> None:  # fmt: skip
    manager = make_staff("manager")
    _journey(purpose)
    first = place_order(phone="0913000222", email="a@example.vn")
    grant(first.customer, "marketing", "email")
    deliver(first)
    tick(django_capture_on_commit_callbacks)  # enrolled, waiting an hour
    run = JourneyRun.objects.get()
    assert run.status == RunStatus.ACTIVE
    restrictions.restrict_processing(actor=manager, customer=first.customer, purposes=[restricted], evidence="x")
    clock.advance(dt.timedelta(hours=2))
    tick(django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == RunStatus.EXITED and not Delivery.objects.exists()
    assert StepRun.objects.filter(run=run, outcome=Outcome.EXITED, reason=Reason.RESTRICTED).exists()
    # A new trigger for the restricted customer does not start a run.
    again = place_order(phone="0913000222", email="a@example.vn", sku="CASE")
    deliver(again)
    tick(django_capture_on_commit_callbacks)
    newer = JourneyRun.objects.exclude(pk=run.pk).get()
    assert newer.status == RunStatus.NOT_ENTERED
    assert StepRun.objects.get(run=newer).reason == Reason.RESTRICTED


def test_a_restriction_set_after_queueing_stops_the_send(customer: Customer, make_staff: Any) -> None:
    """Messaging checks at claim time: a marketing or journey message queued before the restriction is not sent;
    a service message about the contract is."""
    context = {"customer": {"name": "Hoa", "first_name": "Hoa", "code": customer.code},
               "order": {"code": "ORD-1", "total": 1, "lines": []}, "links": {"portal": "http://x/"}}  # fmt: skip
    marketing = queue_message(customer=customer, template_key="order.thank_you", channel="email", context=context,
                              idempotency_key="m-1", purpose="marketing")  # fmt: skip
    journey = queue_message(customer=customer, template_key="order.thank_you", channel="email", context=context,
                            idempotency_key="j-1", source="journey:test")  # fmt: skip
    service = queue_message(customer=customer, template_key="order.thank_you", channel="email", context=context,
                            idempotency_key="s-1")  # fmt: skip
    restrictions.restrict_processing(
        actor=make_staff("manager"), customer=customer, purposes=["marketing", "automated_care"], evidence="x"
    )
    rows = list(dispatch.pending().order_by("id"))
    dispatch.handle_due(rows)
    states = dict(Delivery.objects.values_list("idempotency_key", "status"))
    assert states["m-1"] == states["j-1"] == DeliveryStatus.GIVEN_UP
    assert Delivery.objects.get(pk=marketing.pk).last_error_code == "restricted"
    assert Delivery.objects.get(pk=journey.pk).attempt_count == 0  # never handed to a provider
    assert states["s-1"] == DeliveryStatus.CLAIMED and service.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_parallel_restrictions_leave_one_in_force(customer: Customer, make_staff: Any) -> None:
    manager = make_staff("manager")
    barrier = threading.Barrier(8, timeout=60)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            restrictions.restrict_processing(
                actor=manager, customer=customer, purposes=["marketing" if n % 2 else "profiling"], evidence=str(n)
            )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ProcessingRestriction.objects.filter(customer=customer).count() == 8
    assert ProcessingRestriction.objects.filter(customer=customer, lifted_at__isnull=True).count() == 1
