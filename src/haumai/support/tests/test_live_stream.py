"""The push transport: live notices after commit (in-process bus), server-sent event streams for the widget
and the agent's ticket page under ASGI (Django's async client), 204 under WSGI unless streaming is on,
and who may open them. The two-process (Redis) case is in tests/test_live_chat_processes.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import AsyncClient, Client

from haumai.support import live, live_bus
from haumai.support.models import Message, Ticket
from haumai.support.services.tickets import reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_redis(settings: Any) -> Iterator[None]:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    settings.HAUMAI_REDIS_URL = ""
    settings.REDIS_URL = ""
    settings.HAUMAI_LIVE_STREAM = "auto"
    cache.clear()
    yield
    assert live_bus.open_streams() == 0  # every stream let go of its subscription


def _visitor_with_a_message(text: str = "Chào shop, tủ lạnh không lạnh") -> tuple[str, Message]:
    client = Client()
    token = client.post("/widget/api/session", "{}", content_type="application/json").json()["token"]
    body = json.dumps({"client_id": "c-live-0001", "text": text})
    answer = client.post("/widget/api/messages", body, content_type="application/json", HTTP_X_HAUMAI_VISITOR=token)
    assert answer.status_code == 201, answer.content
    return token, Message.objects.get()


def _stream_ticket(token: str) -> str:
    """What the widget asks before opening its stream (the token itself never goes in the URL)."""
    answer = Client().post("/widget/api/stream-ticket", "{}", content_type="application/json",
                           HTTP_X_HAUMAI_VISITOR=token)  # fmt: skip
    assert answer.status_code == 200, answer.content
    return str(answer.json()["ticket"])


def _parse(raw: str) -> tuple[str, dict[str, Any]] | None:
    fields = dict(line.split(": ", 1) for line in raw.splitlines() if ": " in line and not line.startswith(":"))
    if "event" not in fields:
        return None
    return fields["event"], json.loads(fields["data"])


async def _events(content: AsyncIterator[bytes]) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    buffer = ""
    async for part in content:
        buffer += part.decode()
        while "\n\n" in buffer:
            raw, buffer = buffer.split("\n\n", 1)
            event = _parse(raw)
            if event is not None:
                yield event


async def _until(events: AsyncIterator[tuple[str, dict[str, Any]]], name: str, test: Any) -> dict[str, Any]:
    async def find() -> dict[str, Any]:
        async for event, data in events:
            if event == name and test(data):
                return data
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), 3.0)


def _in_thread(work: Any) -> Any:
    def run() -> Any:
        try:
            return work()
        finally:
            connection.close()

    return asyncio.to_thread(run)


def test_a_notice_reaches_the_streams_of_its_topic_after_commit_only() -> None:
    subscription = live_bus.subscribe(["ticket:1"])
    try:
        with transaction.atomic():
            live_bus.publish(["ticket:1", "customer:9"])
            assert subscription.wait(0.05) == set()  # not before the commit
        assert subscription.wait(1.0) == {"message"}
        live_bus.publish(["ticket:2"], "typing")
        assert subscription.wait(0.05) == set()  # another topic
        with contextlib.suppress(RuntimeError), transaction.atomic():
            live_bus.publish(["ticket:1"])
            raise RuntimeError("rolled back")
        assert subscription.wait(0.05) == set()  # a rolled-back change sends nothing
        live_bus.resubscribe(subscription, ["ticket:2"])
        live.set_typing(ticket_id=2, side="visitor", typing=True)
        assert subscription.wait(1.0) == {"typing"}
        live.set_typing(ticket_id=2, side="visitor", typing=True)  # still typing: no new notice
        assert subscription.wait(0.05) == set()
    finally:
        live_bus.unsubscribe(subscription)


def test_under_asgi_the_widget_stream_pushes_a_reply_and_the_agent_typing(make_staff: Any) -> None:
    token, first = _visitor_with_a_message()
    ticket = first.ticket
    agent = make_staff("agent")

    stream_ticket = _stream_ticket(token)

    async def scenario() -> dict[str, float]:
        response = await AsyncClient().get(f"/widget/api/stream?ticket={stream_ticket}&after={first.pk}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
        events = _events(response.streaming_content)
        opened = await _until(events, "messages", lambda data: True)
        assert opened["messages"] == [] and opened["online"] is True  # nothing after the cursor yet
        started = time.monotonic()
        await _in_thread(lambda: reply(actor=agent, ticket=ticket, body="Dạ em gửi kỹ thuật qua ạ"))
        pushed = await _until(events, "messages", lambda data: data["messages"])
        took = time.monotonic() - started
        assert [m["text"] for m in pushed["messages"]] == ["Dạ em gửi kỹ thuật qua ạ"]
        await _in_thread(lambda: live.set_typing(ticket_id=ticket.pk, side="agent", typing=True,
                                                 customer_id=ticket.customer_id))  # fmt: skip
        assert (await _until(events, "typing", lambda data: data["agent_typing"]))["agent_typing"] is True
        await _in_thread(lambda: reply(actor=agent, ticket=ticket, body="Ghi chú nội bộ", visibility="note"))
        await _in_thread(lambda: reply(actor=agent, ticket=ticket, body="Anh cho em địa chỉ nhé"))
        later = await _until(events, "messages", lambda data: data["messages"])
        assert [m["text"] for m in later["messages"]] == ["Anh cho em địa chỉ nhé"]  # never the note
        return {"reply": took}

    timings = asyncio.run(scenario())
    assert timings["reply"] < 1.0, timings  # a notice, not the 10 s re-read


def test_under_asgi_the_ticket_page_stream_pushes_the_visitor_and_needs_permission(make_staff: Any) -> None:
    token, first = _visitor_with_a_message()
    ticket = Ticket.objects.get()
    anonymous = Client().get(f"/console/inbox/{ticket.code}/stream/?after=0")
    assert anonymous.status_code == 302
    warehouse = AsyncClient()
    warehouse.force_login(make_staff("warehouse"))
    agent = AsyncClient()
    agent.force_login(make_staff("agent"))
    visitor = Client()

    def visitor_says(text: str, client_id: str) -> None:
        body = json.dumps({"client_id": client_id, "text": text})
        visitor.post("/widget/api/messages", body, content_type="application/json", HTTP_X_HAUMAI_VISITOR=token)

    async def scenario() -> None:
        assert (await warehouse.get(f"/console/inbox/{ticket.code}/stream/?after=0")).status_code == 403
        assert (await agent.get(f"/console/inbox/{ticket.code}/stream/?after=x")).status_code == 422
        response = await agent.get(f"/console/inbox/{ticket.code}/stream/?after={first.pk}")
        assert response.status_code == 200
        events = _events(response.streaming_content)
        assert (await _until(events, "typing", lambda data: True))["visitor_typing"] is False
        await _in_thread(lambda: live.set_typing(ticket_id=ticket.pk, side="visitor", typing=True))
        assert (await _until(events, "typing", lambda data: True))["visitor_typing"] is True
        await _in_thread(lambda: visitor_says("Tủ mua ở Quận 7", "c-live-0002"))
        pushed = await _until(events, "messages", lambda data: data["rows"])
        assert len(pushed["rows"]) == 1 and "Tủ mua ở Quận 7" in pushed["rows"][0]
        assert pushed["cursor"] == Message.objects.latest("id").pk

    asyncio.run(scenario())


def test_under_wsgi_the_stream_answers_204_unless_streaming_is_on(settings: Any, make_staff: Any) -> None:
    token, first = _visitor_with_a_message()
    ticket = first.ticket
    client = Client()
    stream_ticket = _stream_ticket(token)
    assert client.get(f"/widget/api/stream?ticket={stream_ticket}&after=0").status_code == 204  # the widget polls
    assert client.post("/widget/api/session", json.dumps({"token": token}),
                       content_type="application/json").json()["stream"] is False  # fmt: skip
    assert client.get("/widget/api/stream?ticket=forged&after=0").status_code == 401
    assert client.get(f"/widget/api/stream?ticket={stream_ticket}&after=-1").status_code == 422

    settings.HAUMAI_LIVE_STREAM = "on"
    agent = make_staff("agent")
    response = client.get(f"/widget/api/stream?ticket={stream_ticket}&after={first.pk}")
    assert response.status_code == 200
    chunks = iter(response.streaming_content)
    replied = threading.Event()

    def reply_soon() -> None:
        try:
            time.sleep(0.2)
            reply(actor=agent, ticket=ticket, body="Dạ em nghe ạ")
            replied.set()
        finally:
            connection.close()

    worker = threading.Thread(target=reply_soon)
    worker.start()
    texts: list[str] = []
    deadline = time.monotonic() + 5
    buffer = ""
    while not texts and time.monotonic() < deadline:
        buffer += next(chunks).decode()
        for raw in buffer.split("\n\n")[:-1]:
            event = _parse(raw)
            if event and event[0] == "messages":
                texts += [m["text"] for m in event[1]["messages"]]
        buffer = buffer.split("\n\n")[-1]
    worker.join()
    response.close()
    del chunks
    assert replied.is_set() and texts == ["Dạ em nghe ạ"]

    settings.HAUMAI_LIVE_STREAM = "off"
    assert client.get(f"/widget/api/stream?ticket={stream_ticket}&after=0").status_code == 204
