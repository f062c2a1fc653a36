"""Claims and the 'sending started' mark: only a started send can end up unknown (in-process, moved clock).

The same rules with a real worker process killed mid-batch are in `test_worker_killed.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from haumai.core import clock
from haumai.messaging import dispatch
from haumai.messaging.channels.base import Outcome
from haumai.messaging.models import Delivery, DeliveryStatus
from haumai.messaging.services import queue_message

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
CONTEXT = {"order": {"code": "DH-1", "total": 500000, "placed_at": None, "delivered_at": None, "lines": []},
           "links": {"portal": "http://x/portal/"}}


def _queue(customer: Any, key: str) -> Delivery:
    return queue_message(customer=customer, template_key="order.thank_you", channel="email", context=CONTEXT,
                         idempotency_key=key)


def _claim(deliveries: list[Delivery], capture: Any) -> list[Delivery]:
    """Claim as the scheduler does, keeping the send (the on_commit callback) for the test to run."""
    rows = list(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).order_by("pk"))
    with capture(execute=False):
        dispatch.handle_due(rows)
    return rows


def test_a_claim_that_expires_unstarted_goes_back_to_the_queue(customer: Any, run_worker: Any, smtp: Any) -> None:
    clock.freeze(NOW)
    delivery = _queue(customer, "claimed-1")
    # A worker claimed it and died before the send started.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.CLAIMED, due_at=NOW + dt.timedelta(minutes=5))
    assert run_worker() == 0  # the claim still holds
    clock.advance(dt.timedelta(minutes=6))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempt_count == 1
    assert delivery.send_started_at == NOW + dt.timedelta(minutes=6)
    assert len(smtp.messages) == 1 and delivery.attempts.get().outcome == "sent"


def test_each_send_is_marked_started_just_before_its_provider_call(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.freeze(NOW)
    rows = _claim([_queue(customer, f"seen-{i}") for i in range(3)], django_capture_on_commit_callbacks)
    assert {d.status for d in Delivery.objects.all()} == {DeliveryStatus.CLAIMED}
    seen: list[list[str]] = []

    class Watching:
        def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
            for delivery in deliveries:
                # What another process sees at the moment of this provider call.
                seen.append(list(Delivery.objects.order_by("pk").values_list("status", flat=True)))
                yield delivery, Outcome.ok("id")

    dispatch.send_claimed(rows, sender_for=lambda channel: Watching())
    assert seen == [
        ["sending", "claimed", "claimed"],
        ["sent", "sending", "claimed"],
        ["sent", "sent", "sending"],
    ]
    assert list(Delivery.objects.values_list("status", flat=True).distinct()) == [DeliveryStatus.SENT]


def test_a_claim_that_ran_out_during_a_long_batch_is_not_sent_by_the_late_worker(
    customer: Any, run_worker: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.freeze(NOW)
    rows = _claim([_queue(customer, f"late-{i}") for i in range(3)], django_capture_on_commit_callbacks)
    sent: list[int] = []

    class Slow:
        def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
            for delivery in deliveries:
                sent.append(delivery.pk)
                clock.advance(dt.timedelta(minutes=6))  # the first call took longer than the claim
                yield delivery, Outcome.ok("id")

    dispatch.send_claimed(rows, sender_for=lambda channel: Slow())
    assert sent == [rows[0].pk]  # the other two were dropped unsent: another worker may hold them now
    states = dict(Delivery.objects.values_list("pk", "status"))
    assert states == {rows[0].pk: "sent", rows[1].pk: "claimed", rows[2].pk: "claimed"}
    run_worker()  # the next claim sends them
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(smtp.messages) == 2


def test_a_reclaimed_delivery_is_not_started_by_the_previous_claimant(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.freeze(NOW)
    (row,) = _claim([_queue(customer, "taken")], django_capture_on_commit_callbacks)
    clock.advance(dt.timedelta(minutes=6))
    (again,) = _claim([row], django_capture_on_commit_callbacks)  # another worker took the expired claim
    assert dispatch.start_sending(row) is False
    assert dispatch.start_sending(again) is True
    assert Delivery.objects.get(pk=row.pk).attempt_count == 1


def test_a_sender_that_breaks_fails_the_started_message_and_requeues_the_rest(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.freeze(NOW)
    rows = _claim([_queue(customer, f"broken-{i}") for i in range(3)], django_capture_on_commit_callbacks)

    class Breaks:
        def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
            taken = iter(deliveries)
            first = next(taken)
            yield first, Outcome.ok("id")
            next(taken)
            raise RuntimeError("bug in the sender")

    dispatch.send_claimed(rows, sender_for=lambda channel: Breaks())
    first, second, third = (Delivery.objects.get(pk=d.pk) for d in rows)
    assert first.status == DeliveryStatus.SENT
    assert (second.status, second.attempt_count, second.last_error_code) == ("failed", 1, "worker_error")
    # Never started: back in the queue after the retry delay, no attempt counted.
    assert (third.status, third.attempt_count, third.last_error_code) == ("queued", 0, "worker_error")
    assert third.due_at == NOW + dispatch.backoff(1) and not third.attempts.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_each_message_costs_one_statement(customer: Any, smtp: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [_queue(customer, f"fast-{i}") for i in range(6)]
    with CaptureQueriesContext(connection) as queries:
        assert dispatch.run_once() == 6  # claim, commit, then send: the real worker path
    sends = [q for q in queries.captured_queries if "messaging_delivery" in q["sql"] and "UPDATE" in q["sql"]]
    # PostgreSQL: the claim, one statement per message (its start + the previous outcome), the last outcome;
    # SQLite (the ORM path): the start and the outcome apart.
    assert len(sends) <= (6 + 3 if connection.vendor == "postgresql" else 2 * 6 + 3)
    for delivery in rows:
        delivery.refresh_from_db()
        attempt = delivery.attempts.get()
        assert (delivery.status, delivery.attempt_count, attempt.number, attempt.outcome) == ("sent", 1, 1, "sent")
        assert attempt.started_at == delivery.send_started_at and delivery.due_at is None
    assert len(smtp.messages) == 6
