"""Website chat widget: visitor tokens, messages both ways, privacy, bad input, limits, typing, offline form,
portal login, CORS, the console's live rows, and parallel posting (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from haumai.core import clock
from haumai.customers.models import Customer, Identity
from haumai.customers.services import create_customer
from haumai.support import live
from haumai.support.channels import web_chat
from haumai.support.models import Message, Ticket
from haumai.support.services.tickets import reply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    cache.clear()


def _post(client: Client, path: str, body: Any, token: str = "", **headers: str) -> Any:
    extra = {"HTTP_X_HAUMAI_VISITOR": token} if token else {}
    extra.update(headers)
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(f"/widget/api/{path}", raw, content_type="application/json", **extra)


def _session(client: Client, token: str = "") -> dict[str, Any]:
    response = _post(client, "session", {"token": token})
    assert response.status_code == 200, response.content
    return response.json()


def _say(client: Client, token: str, text: str, client_id: str = "") -> Any:
    return _post(client, "messages", {"client_id": client_id or f"c-{abs(hash(text))}", "text": text}, token)


def _poll(client: Client, token: str, after: int = 0) -> dict[str, Any]:
    response = client.get(f"/widget/api/messages?after={after}", HTTP_X_HAUMAI_VISITOR=token)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_visitor_writes_an_agent_replies_and_the_visitor_reads_it(make_staff: Any) -> None:
    client = Client()
    started = _session(client)
    token = started["token"]
    assert started["online"] is True and started["messages"] == [] and started["labels"]["send"]
    assert Customer.objects.count() == 0  # nothing stored before the first message

    response = _say(client, token, "Chào shop, máy lọc nước nhà tôi bị rò rỉ", "c-first-0001")
    assert response.status_code == 201
    stored = Message.objects.get()
    ticket = stored.ticket
    assert ticket.channel == "web_chat" and stored.direction == "in"
    visitor = web_chat.read_visitor_token(token)
    assert Identity.objects.get(kind="web", value=visitor).customer_id == ticket.customer_id
    first = _poll(client, token)
    assert [m["text"] for m in first["messages"]] == ["Chào shop, máy lọc nước nhà tôi bị rò rỉ"]
    assert first["messages"][0]["author"] == "visitor"

    agent = make_staff("agent")
    agent.first_name, agent.last_name = "Mai", "Lê"
    agent.save()
    answer = reply(actor=agent, ticket=ticket, body="Dạ em chào anh, em gửi kỹ thuật qua ạ.")
    reply(actor=agent, ticket=ticket, body="Khách khó tính, cẩn thận", visibility="note")
    assert Message.objects.get(pk=answer.pk).delivery_state == "sent"
    later = _poll(client, token, first["cursor"])
    assert [m["text"] for m in later["messages"]] == ["Dạ em chào anh, em gửi kỹ thuật qua ạ."]  # not the note
    assert later["messages"][0]["author"] == "agent" and later["messages"][0]["author_name"]
    assert _poll(client, token, later["cursor"])["messages"] == []


def test_a_visitor_sees_only_their_own_conversation_and_needs_a_valid_token() -> None:
    client = Client()
    first = _session(client)["token"]
    assert _say(client, first, "Tin của khách thứ nhất", "c-one-00001").status_code == 201
    second = _session(Client())["token"]
    assert _poll(client, second)["messages"] == []
    forged = first[:-3] + ("abc" if not first.endswith("abc") else "xyz")
    assert client.get("/widget/api/messages?after=0", HTTP_X_HAUMAI_VISITOR=forged).status_code == 401
    missing = client.get("/widget/api/messages?after=0")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "bad_visitor"
    assert _post(client, "messages", {"client_id": "c-two-00001", "text": "x"}, forged).status_code == 401
    assert Message.objects.count() == 1
    # A forged or expired token in the session call gets a new visitor, not the old one.
    renewed = _session(client, forged)
    assert web_chat.read_visitor_token(renewed["token"]) != web_chat.read_visitor_token(first)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": "Xin chào"}, 422, "client_id"),
        ({"client_id": "bad id!", "text": "Xin chào"}, 422, "client_id"),
        ({"client_id": "c-valid-001", "text": "   "}, 422, "text"),
        ({"client_id": "c-valid-001", "text": 42}, 422, "text"),
        ({"client_id": "c-valid-001", "text": "x" * 2001}, 422, "text"),
        ({"client_id": "c-valid-001", "text": "ok", "name": "n" * 121}, 422, "name"),
        ("not json", 422, None),
        ("[1, 2]", 422, None),
        (json.dumps({"client_id": "c-valid-001", "text": "x" * 17000}), 413, None),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_stores_nothing(body: Any, status: int, field: str | None) -> None:
    client = Client()
    token = _session(client)["token"]
    response = _post(client, "messages", body, token)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"]
    if field:
        assert error["fields"][0]["field"] == field
    assert Message.objects.count() == 0 and Customer.objects.count() == 0 and Ticket.objects.count() == 0
    assert client.get("/widget/api/messages?after=abc", HTTP_X_HAUMAI_VISITOR=token).status_code == 422


def test_a_retried_post_stores_one_message_and_posting_too_fast_is_limited(settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_MESSAGES_PER_MINUTE = 3
    client = Client()
    token = _session(client)["token"]
    assert _say(client, token, "Một", "c-retry-0001").status_code == 201
    again = _say(client, token, "Một", "c-retry-0001")
    assert again.status_code == 201 and Message.objects.count() == 1
    assert _say(client, token, "Hai", "c-retry-0002").status_code == 201
    assert _say(client, token, "Ba", "c-retry-0003").status_code == 201
    limited = _say(client, token, "Bốn", "c-retry-0004")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert Message.objects.count() == 3
    clock.advance(dt.timedelta(minutes=1))
    assert _say(client, token, "Bốn", "c-retry-0004").status_code == 201


def test_typing_shows_both_ways(make_staff: Any) -> None:
    visitor_client = Client()
    token = _session(visitor_client)["token"]
    _say(visitor_client, token, "Cho mình hỏi", "c-typing-001")
    ticket = Ticket.objects.get()
    agent_client = Client()
    agent_client.force_login(make_staff("agent"))
    assert _post(visitor_client, "typing", {"typing": True}, token).status_code == 204
    live_state = agent_client.post(f"/console/inbox/{ticket.code}/live/", {"after": "0", "composing": "1"}).json()
    assert live_state["visitor_typing"] is True and len(live_state["rows"]) == 1
    assert _poll(visitor_client, token, 0)["agent_typing"] is True
    _post(visitor_client, "typing", {"typing": False}, token)
    stopped = agent_client.post(f"/console/inbox/{ticket.code}/live/", {"after": "0", "composing": "0"}).json()
    assert stopped["visitor_typing"] is False
    assert _poll(visitor_client, token, 0)["agent_typing"] is False
    clock.advance(dt.timedelta(seconds=1))


def test_on_shift_follows_the_default_calendar(settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "calendar"
    wednesday_morning = dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)  # 10:00 in Ho Chi Minh City
    wednesday_night = dt.datetime(2026, 6, 10, 15, 0, tzinfo=dt.UTC)  # 22:00
    assert live.on_shift(wednesday_morning) is True
    assert live.on_shift(wednesday_night) is False
    with clock.frozen(wednesday_night):
        assert _session(Client())["online"] is False


def test_the_offline_form_checks_its_fields_and_reaches_the_inbox(settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "never"
    known = create_customer(actor=None, full_name="Trần Thị Bích", phone="0903111222")
    client = Client()
    token = _session(client)["token"]
    base = {"client_id": "c-offline-01", "name": "Bích", "text": "Gọi lại giúp tôi"}
    missing = _post(client, "offline", {**base, "phone": "", "email": ""}, token)
    assert missing.status_code == 422 and missing.json()["error"]["fields"][0]["field"] == "phone"
    assert _post(client, "offline", {**base, "phone": "12"}, token).json()["error"]["fields"][0]["field"] == "phone"
    assert (
        _post(client, "offline", {**base, "email": "not-mail"}, token).json()["error"]["fields"][0]["field"] == "email"
    )
    assert _post(client, "offline", {**base, "name": "", "phone": "0903111222"}, token).status_code == 422
    assert Message.objects.count() == 0
    sent = _post(client, "offline", {**base, "phone": "0903 111 222"}, token)
    assert sent.status_code == 201
    stored = Message.objects.get()
    assert "+84903111222" in stored.body_text and "Gọi lại giúp tôi" in stored.body_text
    assert stored.ticket.channel == "web_chat"
    # Typing someone's phone number does not make the visitor that customer.
    assert stored.ticket.customer_id != known.pk
    assert not Identity.objects.filter(customer=known, kind="web").exists()


def test_a_visitor_who_logs_in_to_the_portal_continues_as_that_customer() -> None:
    customer = create_customer(actor=None, full_name="Phạm Thị Hoa", phone="0903555666")
    client = Client()
    token = _session(client)["token"]
    _say(client, token, "Tôi muốn hỏi về bảo hành", "c-portal-001")
    contact = Ticket.objects.get().customer
    assert contact.pk != customer.pk
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    linked = _session(client, token)
    # The token is signed again (a fresh timestamp) for the same visitor: the conversation continues.
    assert linked["logged_in"] is True
    assert web_chat.read_visitor_token(linked["token"]) == web_chat.read_visitor_token(token) is not None
    assert [m["text"] for m in linked["messages"]] == ["Tôi muốn hỏi về bảo hành"]
    assert Ticket.objects.get().customer_id == customer.pk
    assert Customer.objects.get(pk=contact.pk).merged_into_id == customer.pk
    _say(client, token, "Tôi đã đăng nhập", "c-portal-002")
    assert Message.objects.filter(ticket__customer=customer).count() == 2
    assert Ticket.objects.count() == 1

    # Another identified customer on the same browser gets a new visitor id, not this conversation.
    other = create_customer(actor=None, full_name="Lê Văn Nam", phone="0903777888")
    session = client.session
    session["portal_customer_id"] = other.pk
    session.save()
    switched = _session(client, token)
    assert switched["token"] != token and switched["messages"] == []
    assert (
        Identity.objects.get(kind="web", value=web_chat.read_visitor_token(switched["token"])).customer_id == other.pk
    )


def test_cross_origin_embedding_follows_the_allowed_origins(settings: Any) -> None:
    client = Client()
    preflight = client.options("/widget/api/messages", HTTP_ORIGIN="https://shop.vn")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://shop.vn"
    assert "X-Haumai-Visitor" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight
    settings.HAUMAI_WEB_CHAT_ORIGINS = "https://shop.vn"
    refused = _post(client, "session", {}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_refused"
    ok = _post(client, "session", {}, HTTP_ORIGIN="https://shop.vn")
    assert ok.status_code == 200 and ok["Access-Control-Allow-Origin"] == "https://shop.vn"
    token = ok.json()["token"]
    assert _say(client, token, "x", "c-evil-00001") and Message.objects.count() == 1
    evil = _post(
        client, "messages", {"client_id": "c-evil-00002", "text": "x"}, token, HTTP_ORIGIN="https://evil.example"
    )
    assert evil.status_code == 403 and Message.objects.count() == 1


def test_the_script_and_the_demo_page_are_served() -> None:
    client = Client()
    script = client.get("/widget/haumai-chat.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"HaumaiChat" in script.content
    demo = client.get("/widget/demo/")
    assert demo.status_code == 200 and b"haumai-chat.js" in demo.content


def test_the_console_live_rows_need_permission(make_staff: Any) -> None:
    client = Client()
    token = _session(client)["token"]
    _say(client, token, "Xin chào", "c-console-01")
    ticket = Ticket.objects.get()
    anonymous = Client().post(f"/console/inbox/{ticket.code}/live/", {"after": "0"})
    assert anonymous.status_code == 302
    warehouse = Client()
    warehouse.force_login(make_staff("warehouse"))
    assert warehouse.post(f"/console/inbox/{ticket.code}/live/", {"after": "0"}).status_code == 403
    agent = Client()
    agent.force_login(make_staff("agent"))
    rows = agent.post(f"/console/inbox/{ticket.code}/live/", {"after": "0"}).json()
    assert len(rows["rows"]) == 1 and "Xin chào" in rows["rows"][0]
    assert agent.post(f"/console/inbox/{ticket.code}/live/", {"after": str(rows["cursor"])}).json()["rows"] == []
    assert agent.post(f"/console/inbox/{ticket.code}/live/", {"after": "x"}).status_code == 422
    page = agent.get(f"/console/inbox/{ticket.code}/")
    assert b"data-live-url" in page.content


def test_polling_reads_a_few_indexed_queries(django_assert_max_num_queries: Any, make_staff: Any) -> None:
    client = Client()
    token = _session(client)["token"]
    for index in range(5):
        _say(client, token, f"Tin số {index}", f"c-count-{index:04d}")
    agent = make_staff("agent")
    for index in range(5):
        reply(actor=agent, ticket=Ticket.objects.get(), body=f"Trả lời {index}")
    with django_assert_max_num_queries(4):
        answer = _poll(client, token, 0)
    assert len(answer["messages"]) == 10


def test_a_bot_can_label_its_replies_and_offer_quick_replies(make_staff: Any) -> None:
    client = Client()
    token = _session(client)["token"]
    _say(client, token, "Giờ mở cửa?", "c-bot-00001")
    bot = make_staff("agent", username="tro-ly-ao")
    kinds, quick = list(web_chat._author_kinds), list(web_chat._quick_replies)
    web_chat.register_author_kind(lambda m: "bot" if m.author_id == bot.pk else None)
    web_chat.register_quick_replies(lambda m: ["Gặp nhân viên", "Tra bảo hành"] if m.author_id == bot.pk else [])
    try:
        reply(actor=bot, ticket=Ticket.objects.get(), body="Cửa hàng mở 8:00-21:00.")
        shown = _poll(client, token, 0)["messages"][-1]
    finally:
        web_chat._author_kinds[:], web_chat._quick_replies[:] = kinds, quick
    assert shown["author"] == "bot" and shown["quick_replies"] == ["Gặp nhân viên", "Tra bảo hành"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_posts_store_one_message_per_client_message_id(settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_MESSAGES_PER_MINUTE = 1000
    settings.HAUMAI_WEB_CHAT_POSTS_PER_IP_PER_MINUTE = 1000
    token = _session(Client())["token"]
    workers = 8
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []
    statuses: list[int] = []

    def run(number: int) -> None:
        try:
            client = Client()
            start.wait()
            for index in range(5):
                statuses.append(_say(client, token, f"Tin {index}", f"c-burst-{index:04d}").status_code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and set(statuses) == {201}
    assert Message.objects.count() == 5
    assert Ticket.objects.count() == 1 and Customer.objects.count() == 1
