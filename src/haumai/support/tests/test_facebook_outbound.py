"""Replies on Facebook tickets go out through the Send API (a local Graph server): POST /me/messages with
the page token, messaging_type RESPONSE, the PSID; the 24-hour window refuses a late reply before it is
stored; Meta's refusals are shown to the agent; transient failures are retried; two workers send once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from haumai.core import clock, scheduler
from haumai.core.errors import Conflict
from haumai.support.channels import facebook_outbound
from haumai.support.channels.facebook import parse_webhook
from haumai.support.models import Message, Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import reply
from haumai.support.tests.conftest import NOW
from haumai.testing.facebook import LocalGraph, local_graph

pytestmark = pytest.mark.django_db
PSID = "6543210987654321"


@pytest.fixture
def graph(settings: Any) -> Iterator[LocalGraph]:
    with local_graph() as server:
        server.configure(settings)
        yield server


def customer_writes(graph: LocalGraph, text: str = "Đơn hàng của tôi giao chưa?", *, mid: str = "m_first") -> Ticket:
    payload = graph.text_event(PSID, text, mid=mid)
    payload["entry"][0]["messaging"][0]["timestamp"] = int(clock.now().timestamp() * 1000)
    body, headers = graph.webhook(payload)
    [message] = parse_webhook(body, {"x-hub-signature-256": headers["HTTP_X_HUB_SIGNATURE_256"]})
    stored = ingest_inbound(message)
    assert stored is not None
    return Ticket.objects.get(pk=stored.ticket_id)


def run_sender() -> int:
    source = next(s for s in scheduler.registered() if s.name == facebook_outbound.SOURCE_NAME)
    return scheduler.run_source(source, batch_size=20)


def sends(graph: LocalGraph) -> list[Any]:
    return [r for r in graph.requests if "/me/messages" in r[0]]


def test_a_reply_goes_out_through_the_send_api(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    agent = make_staff("agent")
    answer = reply(actor=agent, ticket=ticket, body="Dạ đơn của anh đang được giao ạ")
    queued = Message.objects.get(pk=answer.pk)
    assert queued.delivery_state == "queued" and queued.delivery_due_at == NOW
    assert sends(graph) == []  # nothing leaves inside the agent's request
    assert run_sender() == 1
    [(path, _headers, body)] = sends(graph)
    assert f"access_token={graph.page_token}" in path and path.split("?")[0].endswith("/v19.0/me/messages")
    assert body == {"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
                    "message": {"text": "Dạ đơn của anh đang được giao ạ"}}  # fmt: skip
    sent = Message.objects.get(pk=answer.pk)
    assert sent.delivery_state == "sent" and sent.external_id.startswith("m_") and sent.delivery_due_at is None
    assert run_sender() == 0  # sent once


def test_a_reply_after_the_24_hour_window_is_refused_and_nothing_is_stored(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    agent = make_staff("agent")
    with clock.frozen(NOW + dt.timedelta(hours=23, minutes=59)):
        reply(actor=agent, ticket=ticket, body="Vẫn trong 24 giờ")
    before = Message.objects.count()
    with clock.frozen(NOW + dt.timedelta(hours=24, minutes=1)), pytest.raises(Conflict) as refused:
        reply(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), body="Quá 24 giờ rồi")
    assert refused.value.code == "messaging_window_closed"
    assert Message.objects.count() == before
    # A note is not sent to Facebook: still allowed.
    with clock.frozen(NOW + dt.timedelta(hours=30)):
        reply(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), body="Gọi điện cho khách", visibility="note")
        client = Client()
        client.force_login(agent)
        page = client.post(f"/console/inbox/{ticket.code}/reply/", {"body": "Trả lời muộn", "visibility": "public"},
                           follow=True)  # fmt: skip
    assert "within 24 hours" in page.content.decode()
    assert not Message.objects.filter(body_text="Trả lời muộn").exists()


def test_meta_refusals_are_shown_to_the_agent(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    agent = make_staff("agent")
    graph.script(PSID, "invalid_token")
    answer = reply(actor=agent, ticket=ticket, body="Dạ em kiểm tra ạ")
    run_sender()
    failed = Message.objects.get(pk=answer.pk)
    assert failed.delivery_state == "failed" and failed.delivery_error.startswith("facebook_190")
    assert failed.delivery_attempts == 1 and failed.delivery_due_at is None  # a bad token is not retried
    client = Client()
    client.force_login(agent)
    html = client.get(f"/console/inbox/{ticket.code}/").content.decode()
    assert "access token is invalid or expired" in html and "Not delivered" in html


def test_a_transient_failure_is_retried_with_backoff(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    graph.script(PSID, "5xx", "ok")
    answer = reply(actor=make_staff("agent"), ticket=ticket, body="Dạ em gửi lại ạ")
    run_sender()
    waiting = Message.objects.get(pk=answer.pk)
    assert waiting.delivery_state == "queued" and waiting.delivery_attempts == 1
    assert waiting.delivery_due_at == NOW + dt.timedelta(seconds=5)
    assert "trying again" in facebook_outbound.problem(waiting)
    assert run_sender() == 0  # not due yet
    with clock.frozen(NOW + dt.timedelta(seconds=6)):
        assert run_sender() == 1
    done = Message.objects.get(pk=answer.pk)
    assert done.delivery_state == "sent" and done.delivery_attempts == 2 and len(sends(graph)) == 2


def test_gives_up_after_the_last_attempt(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    graph.script(PSID, *["5xx"] * facebook_outbound.MAX_ATTEMPTS)
    answer = reply(actor=make_staff("agent"), ticket=ticket, body="Dạ")
    for minutes in range(facebook_outbound.MAX_ATTEMPTS):
        with clock.frozen(NOW + dt.timedelta(minutes=minutes * 3)):
            run_sender()
    final = Message.objects.get(pk=answer.pk)
    assert final.delivery_state == "failed" and final.delivery_attempts == facebook_outbound.MAX_ATTEMPTS
    assert final.delivery_due_at is None and len(sends(graph)) == facebook_outbound.MAX_ATTEMPTS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_send_each_reply_once(graph: LocalGraph, make_staff: Any) -> None:
    ticket = customer_writes(graph)
    agent = make_staff("agent")
    for n in range(6):
        reply(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), body=f"Tin số {n}")
    workers = 4
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            while run_sender():
                pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = sorted(body["message"]["text"] for _path, _headers, body in sends(graph))
    assert texts == [f"Tin số {n}" for n in range(6)]
    assert set(Message.objects.filter(direction="out").values_list("delivery_state", flat=True)) == {"sent"}
