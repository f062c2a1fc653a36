"""Journeys send real surveys: a survey step opens an invitation and its signed link goes into the message;
a message that could not be delivered is shown as not delivered, never as sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.journeys.models import Journey, JourneyStep, Outcome, RunStatus, StepRun
from haumai.journeys.tests.conftest import deliver, only, place_order, tick
from haumai.messaging.models import Delivery
from haumai.surveys.models import Invitation, Response
from haumai.surveys.tests.conftest import ensure_surveys
from haumai.testing.smtp import local_smtp

pytestmark = pytest.mark.django_db


def test_customer_answers_the_csat_survey_from_the_journey_message(
    catalog: Any, morning: Any, settings: Any, capture: Any, client: Any, make_staff: Any
) -> None:
    ensure_surveys()
    only("satisfaction-survey")
    with local_smtp() as smtp:
        smtp.configure(settings)
        order = deliver(place_order())
        tick(capture, send=True)
        clock.advance(dt.timedelta(hours=72))
        tick(capture, send=True)  # the survey step opens the invitation and queues the message
        tick(capture, send=True)  # messaging sends it
        invitation = Invitation.objects.get()
        delivery = Delivery.objects.get()
        assert delivery.status == "sent", delivery.last_error_message
        assert (invitation.subject_kind, invitation.subject_code, invitation.survey.key) == (
            "order",
            order.code,
            "csat-order",
        )
        assert invitation.delivery_id == delivery.pk and invitation.channel == "email"
        step_run = StepRun.objects.get(kind="survey")
        assert step_run.outcome == Outcome.SENT and step_run.delivery_id == delivery.pk
        link = re.search(r"https?://\S+/s/(\S+?)/", delivery.body_text)
        assert link is not None, delivery.body_text
        assert len(smtp.messages) == 1
    page = Client().post(f"/s/{link.group(1)}/", {"score": "4", "comment": "Ổn"})
    assert page.status_code == 200
    assert Response.objects.get().score == 4
    # A repeated tick neither opens a second invitation nor sends twice.
    clock.advance(dt.timedelta(days=1))
    tick(capture, send=True)
    assert Invitation.objects.count() == 1 and Delivery.objects.count() == 1
    client.force_login(make_staff("agent"))
    run = step_run.run
    body = client.get(f"/console/journeys/satisfaction-survey/runs/{run.pk}/").content.decode()
    assert "Delivered to the provider" in body


def test_a_message_that_cannot_be_rendered_is_not_delivered_not_sent(
    catalog: Any, morning: Any, settings: Any, capture: Any, client: Any, make_staff: Any
) -> None:
    """The old defect: a plain send of survey.satisfaction has no links.survey; it must say so."""
    ensure_surveys()
    only("satisfaction-survey")
    JourneyStep.objects.filter(journey__key="satisfaction-survey", kind="survey").update(kind="send", survey_key="")
    with local_smtp() as smtp:
        smtp.configure(settings)
        deliver(place_order())
        tick(capture, send=True)
        clock.advance(dt.timedelta(hours=72))
        tick(capture, send=True)
        tick(capture, send=True)
        assert smtp.messages == []
    delivery = Delivery.objects.get()
    assert delivery.status == "given_up" and delivery.last_error_code == "template_error"
    step_run = StepRun.objects.get(kind="send")
    assert step_run.outcome == Outcome.NOT_DELIVERED
    assert step_run.reason == "delivery_failed"
    assert step_run.run.status == RunStatus.COMPLETED
    client.force_login(make_staff("agent"))
    body = client.get(f"/console/journeys/satisfaction-survey/runs/{step_run.run_id}/").content.decode()
    assert "Not delivered" in body and "unknown variable" in body
    assert not Invitation.objects.exists()


def test_a_message_given_up_later_shows_as_not_delivered(
    catalog: Any, morning: Any, settings: Any, capture: Any, client: Any, make_staff: Any
) -> None:
    ensure_surveys()
    only("satisfaction-survey")
    deliver(place_order())
    tick(capture)
    clock.advance(dt.timedelta(hours=72))
    tick(capture)  # queued; no provider runs in this test
    step_run = StepRun.objects.get(kind="survey")
    assert step_run.outcome == Outcome.SENT
    client.force_login(make_staff("agent"))
    url = f"/console/journeys/satisfaction-survey/runs/{step_run.run_id}/"
    assert 'data-delivery-status="queued"' in client.get(url).content.decode()
    # The provider refused it for good after its retries (what messaging.dispatch writes after the last attempt).
    Delivery.objects.filter(pk=step_run.delivery_id).update(
        status="given_up", last_error_code="rejected", last_error_message="mailbox unavailable"
    )
    body = client.get(url).content.decode()
    assert 'data-delivery-status="given_up"' in body and "Not delivered" in body and "mailbox unavailable" in body


def test_an_inactive_survey_skips_the_step_with_a_reason(catalog: Any, morning: Any, capture: Any) -> None:
    surveys = ensure_surveys()
    surveys["csat-order"].is_active = False
    surveys["csat-order"].save()
    only("satisfaction-survey")
    deliver(place_order())
    tick(capture)
    clock.advance(dt.timedelta(hours=72))
    tick(capture)
    step_run = StepRun.objects.get(kind="survey")
    assert (step_run.outcome, step_run.reason) == (Outcome.SKIPPED, "survey_missing")
    assert not Delivery.objects.exists() and not Invitation.objects.exists()


def test_built_in_survey_journeys_exist() -> None:
    triggers = dict(Journey.objects.filter(key__startswith="survey-").values_list("key", "trigger_event"))
    assert triggers == {
        "survey-ticket-solved": "ticket.solved",
        "survey-return-refunded": "return.refunded",
        "survey-repair-returned": "repair.returned",
    }
    step = JourneyStep.objects.get(journey__key="satisfaction-survey", kind="survey")
    assert step.survey_key == "csat-order"
