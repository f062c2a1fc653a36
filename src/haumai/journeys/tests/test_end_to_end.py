"""Done-when: delivering an order makes the thank-you journey e-mail the customer 2 hours later."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.journeys.models import JourneyRun, Outcome, RunStatus
from haumai.journeys.tests.conftest import deliver, only, place_order, tick
from haumai.messaging.models import Delivery
from haumai.testing.smtp import local_smtp

pytestmark = pytest.mark.django_db


def test_delivered_order_gets_the_thank_you_email_two_hours_later(
    catalog: Any, morning: dt.datetime, settings: Any, django_capture_on_commit_callbacks: Any, client: Any,
    make_staff: Any,
) -> None:  # fmt: skip
    only("order-thank-you")
    with local_smtp() as smtp:
        smtp.configure(settings)
        order = deliver(place_order())

        tick(django_capture_on_commit_callbacks, send=True)  # the event enters the journey; the run waits 2 h
        run = JourneyRun.objects.get(journey__key="order-thank-you")
        assert run.status == RunStatus.ACTIVE
        assert run.due_at == morning + dt.timedelta(hours=2)
        assert smtp.messages == []

        clock.advance(dt.timedelta(hours=1, minutes=59))
        tick(django_capture_on_commit_callbacks, send=True)
        assert smtp.messages == []

        clock.advance(dt.timedelta(minutes=1))
        tick(django_capture_on_commit_callbacks, send=True)  # journey queues the e-mail
        tick(django_capture_on_commit_callbacks, send=True)  # messaging sends it
        run.refresh_from_db()
        assert run.status == RunStatus.COMPLETED
        assert [m["To"] for m in smtp.messages] == ["lan@example.vn"]
        delivery = Delivery.objects.get()
        assert delivery.template_key == "order.thank_you"
        assert delivery.status == "sent"
        assert run.step_runs.filter(outcome=Outcome.SENT, delivery_id=delivery.pk).exists()

        clock.advance(dt.timedelta(days=1))
        tick(django_capture_on_commit_callbacks, send=True)
        assert len(smtp.messages) == 1  # nothing twice

    client.force_login(make_staff("agent"))
    page = client.get(f"/console/journeys/order-thank-you/runs/{run.pk}/")
    assert page.status_code == 200
    assert order.code in page.content.decode()
    # Staff read the template's name, not its key.
    assert "Thank you for your order" in page.content.decode() and "order.thank_you" not in page.content.decode()
