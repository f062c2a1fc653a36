"""Journey runs: consent, quiet hours, frequency cap, channel fallback, branches, tasks, exits, idempotency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.customers.models import Identity
from haumai.events.services import record_event
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import CareTask, Journey, JourneyRun, Outcome, Reason, RunStatus, StepRun
from haumai.journeys.services import JourneyInput, StepInput, save_journey
from haumai.journeys.tests.conftest import MORNING, deliver, grant, only, place_order, tick
from haumai.messaging.models import Delivery

pytestmark = pytest.mark.django_db


def make_journey(key: str = "test", *, steps: list[StepInput], **fields: Any) -> Journey:
    only(key)
    data = JourneyInput(key=key, name=key.title(), trigger_event="order.delivered", steps=steps, **fields)
    return save_journey(actor=None, data=data)


def send(template_key: str = "order.thank_you") -> StepInput:
    return StepInput(kind="send", template_key=template_key)


def step_runs() -> list[tuple[str, str]]:
    return list(StepRun.objects.order_by("id").values_list("outcome", "reason"))


def test_service_message_goes_to_the_preferred_reachable_channel(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], channel_order=["sms", "email"])
    order = deliver(place_order())
    tick(capture)
    delivery = Delivery.objects.get()
    assert delivery.channel == "sms"  # first in the fallback order, service consent not withdrawn
    assert (
        delivery.idempotency_key
        == f"journey-run:{JourneyRun.objects.get().pk}:step:{Journey.objects.get(key='test').steps.get().pk}"
    )
    assert JourneyRun.objects.get().subject_label == order.code


def test_withdrawn_service_consent_falls_back_to_the_next_channel(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], channel_order=["sms", "email"])
    order = place_order()
    grant(order.customer, "service", "sms", granted=False)
    deliver(order)
    tick(capture)
    assert Delivery.objects.get().channel == "email"


def test_marketing_needs_an_explicit_grant(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], purpose="marketing", channel_order=["sms", "email"])
    deliver(place_order())
    tick(capture)
    assert not Delivery.objects.exists()
    assert step_runs() == [("skipped", Reason.NO_CONSENT)]
    assert "marketing" in StepRun.objects.get().message


def test_marketing_frequency_cap(catalog: Any, morning: Any, capture: Any, settings: Any) -> None:
    settings.HAUMAI_JOURNEYS_MARKETING_CAP = 1
    make_journey(steps=[send(), send("survey.satisfaction")], purpose="marketing", channel_order=["email"])
    order = place_order()
    grant(order.customer, "marketing", "email")
    deliver(order)
    tick(capture)
    assert Delivery.objects.count() == 1
    assert step_runs() == [("sent", ""), ("skipped", Reason.CAPPED)]


def test_no_reachable_channel_is_a_skip_with_a_reason(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], channel_order=["zalo"])
    deliver(place_order())
    tick(capture)
    assert step_runs() == [("skipped", Reason.NO_REACHABLE_CHANNEL)]
    assert JourneyRun.objects.get().status == RunStatus.COMPLETED


def test_zalo_identity_makes_zalo_reachable(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], channel_order=["zalo", "email"])
    order = place_order()
    Identity.objects.create(customer=order.customer, kind="zalo", value="8123456789012345678")
    deliver(order)
    tick(capture)
    assert Delivery.objects.get().channel == "zalo"


def test_quiet_hours_defer_to_eight_in_the_morning_and_send_once(catalog: Any, capture: Any) -> None:
    clock.freeze(dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC))  # 22:30 in Vietnam
    make_journey(steps=[send()], channel_order=["email"])
    deliver(place_order())
    tick(capture)
    run = JourneyRun.objects.get()
    assert not Delivery.objects.exists()
    assert step_runs() == [("deferred", Reason.QUIET_HOURS)]
    assert run.due_at == dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)  # 08:00 local
    clock.freeze(dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC))
    tick(capture)
    tick(capture)
    assert Delivery.objects.count() == 1
    assert [o for o, _ in step_runs()] == ["deferred", "sent"]


def test_service_journey_may_send_in_quiet_hours_when_allowed(catalog: Any, capture: Any) -> None:
    clock.freeze(dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC))
    make_journey(steps=[send()], channel_order=["email"], allow_quiet_hours=True)
    deliver(place_order())
    tick(capture)
    assert Delivery.objects.count() == 1


def test_template_missing_is_a_skip(catalog: Any, morning: Any, capture: Any) -> None:
    journey = make_journey(steps=[send()], channel_order=["email"])
    journey.steps.update(template_key="no.such_template")  # e.g. the template was deleted after saving
    deliver(place_order())
    tick(capture)
    assert step_runs() == [("skipped", Reason.TEMPLATE_MISSING)]


def test_entry_condition_false_is_recorded(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], condition_min_order_total=10_000_000)
    deliver(place_order())
    tick(capture)
    run = JourneyRun.objects.get()
    assert run.status == RunStatus.NOT_ENTERED
    assert step_runs() == [("skipped", Reason.CONDITION_FALSE)]
    assert "below" in StepRun.objects.get().message


def test_category_condition_matches_the_parent_category(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], condition_category="dien-may", channel_order=["email"])
    deliver(place_order())
    tick(capture)
    assert JourneyRun.objects.get().status == RunStatus.COMPLETED
    assert Delivery.objects.count() == 1


def test_one_run_per_customer_and_subject_unless_reentry(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[send()], channel_order=["email"])
    order = deliver(place_order())
    tick(capture)
    record_event(name="order.delivered", customer=order.customer, subject=order, payload={"code": order.code})
    tick(capture)
    assert JourneyRun.objects.count() == 1
    Journey.objects.filter(key="test").update(allow_reentry=True)
    forget_journeys()
    record_event(name="order.delivered", customer=order.customer, subject=order, payload={"code": order.code})
    tick(capture)
    assert JourneyRun.objects.count() == 2


def test_branch_and_task_and_exit(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(
        steps=[
            send(),
            StepInput(kind="branch", branch_condition="order_total_at_least", branch_value="5000000", branch_target=4),
            StepInput(kind="exit"),
            StepInput(kind="task", task_title="Call to offer installation"),
        ],
        channel_order=["email"],
    )
    order = deliver(place_order())
    tick(capture)
    task = CareTask.objects.get()
    assert (task.customer_id, task.subject_label, task.title) == (
        order.customer_id,
        order.code,
        "Call to offer installation",
    )
    assert [o for o, _ in step_runs()] == ["sent", "done", "done"]
    assert JourneyRun.objects.get().status == RunStatus.COMPLETED


def test_exit_event_ends_a_waiting_run(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[StepInput(kind="wait", wait_hours=72), send()], exit_event="order.completed")
    order = deliver(place_order())
    tick(capture)
    from haumai.sales.services import change_order_status

    change_order_status(actor=None, order=order, status="completed")
    tick(capture)
    run = JourneyRun.objects.get()
    assert run.status == RunStatus.EXITED and run.due_at is None
    assert step_runs()[-1] == ("exited", Reason.EXIT_EVENT)
    clock.advance(dt.timedelta(days=4))
    tick(capture)
    assert not Delivery.objects.exists()


def test_repeated_advance_sends_nothing_twice(catalog: Any, morning: Any, capture: Any) -> None:
    from haumai.journeys.engine import advance_runs

    make_journey(steps=[send()], channel_order=["email"])
    deliver(place_order())
    tick(capture)  # enroll + advance
    run = JourneyRun.objects.get()
    # A worker that crashed after queueing but before saving the run would advance it again.
    JourneyRun.objects.filter(pk=run.pk).update(status="active", position=1, due_at=MORNING)
    advance_runs([JourneyRun.objects.get(pk=run.pk)])
    assert Delivery.objects.count() == 1


def test_switched_off_journey_exits_its_runs(catalog: Any, morning: Any, capture: Any) -> None:
    make_journey(steps=[StepInput(kind="wait", wait_hours=2), send()])
    deliver(place_order())
    tick(capture)
    Journey.objects.filter(key="test").update(is_active=False)
    clock.advance(dt.timedelta(hours=3))
    tick(capture)
    assert JourneyRun.objects.get().status == RunStatus.EXITED
    assert step_runs()[-1] == (Outcome.EXITED, Reason.JOURNEY_INACTIVE)


def test_survey_run_exits_when_a_return_is_requested_for_the_order(catalog: Any, morning: Any, capture: Any) -> None:
    only("satisfaction-survey")
    order = deliver(place_order())
    tick(capture)
    other = deliver(place_order(phone="0912000999"))
    tick(capture)
    record_event(
        name="return.requested",
        customer=order.customer,
        payload={"return_code": "RMA-2026-000001", "order_code": order.code},
    )
    tick(capture)
    statuses = dict(JourneyRun.objects.values_list("subject_label", "status"))
    assert statuses == {order.code: RunStatus.EXITED, other.code: RunStatus.ACTIVE}


def test_events_without_a_customer_start_nothing(db: Any, capture: Any) -> None:
    record_event(name="order.delivered", payload={"code": "X"})
    tick(capture)
    assert not JourneyRun.objects.exists()
