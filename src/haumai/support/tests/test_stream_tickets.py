"""The widget's stream opens with a one-minute stream ticket, never with the visitor token in the URL."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from haumai.support.channels import web_chat

pytestmark = pytest.mark.django_db


def _session(client: Client) -> str:
    return str(client.post("/widget/api/session", "{}", content_type="application/json").json()["token"])


def _ask(client: Client, token: str | None) -> Any:
    headers = {"HTTP_X_HAUMAI_VISITOR": token} if token is not None else {}
    return client.post("/widget/api/stream-ticket", "{}", content_type="application/json", **headers)


def test_a_visitor_gets_a_stream_ticket_that_opens_the_stream(settings: Any) -> None:
    client = Client()
    token = _session(client)
    answer = _ask(client, token)
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    ticket = answer.json()["ticket"]
    assert answer.json()["expires_in"] == 60 and token not in ticket
    assert web_chat.read_stream_ticket(ticket) == web_chat.read_visitor_token(token)  # the visitor id, not the token
    assert client.get(f"/widget/api/stream?ticket={ticket}&after=0").status_code == 204  # WSGI: the widget polls
    settings.HAUMAI_LIVE_STREAM = "on"
    response = client.get(f"/widget/api/stream?ticket={ticket}&after=0")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    response.close()


def test_asking_needs_a_valid_visitor_and_post() -> None:
    client = Client()
    assert _ask(client, None).status_code == 401
    assert _ask(client, "forged").json()["error"]["code"] == "bad_visitor"
    assert client.get("/widget/api/stream-ticket", HTTP_X_HAUMAI_VISITOR=_session(client)).status_code == 405
    assert client.options("/widget/api/stream-ticket", HTTP_ORIGIN="https://shop.example.vn").status_code == 204


def test_the_visitor_token_in_the_url_is_refused_even_when_valid() -> None:
    client = Client()
    token = _session(client)
    refused = client.get(f"/widget/api/stream?token={token}&after=0")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "token_in_url"
    ticket = _ask(client, token).json()["ticket"]
    both = client.get(f"/widget/api/stream?ticket={ticket}&token={token}&after=0")
    assert both.status_code == 400  # a token next to a good ticket is refused too


def test_forged_expired_and_other_visitors_tickets_are_refused() -> None:
    client = Client()
    token = _session(client)
    ticket = _ask(client, token).json()["ticket"]

    def refused(value: str) -> bool:
        response = client.get("/widget/api/stream", {"ticket": value, "after": "0"})
        return response.status_code == 401 and response.json()["error"]["code"] == "bad_stream_ticket"

    assert refused("forged") and refused("")
    assert refused(token)  # the visitor token is not a stream ticket (another salt)
    # Another visitor's id put in the signed payload: the signature no longer matches.
    other = web_chat.new_visitor_id()
    rest = ticket.split(":", 1)[1]
    swapped = base64.urlsafe_b64encode(json.dumps({"v": other, "use": "stream"}, separators=(",", ":")).encode())
    assert refused(swapped.decode().rstrip("=") + ":" + rest)
    # Signed a minute and a bit ago: expired.
    with mock.patch.object(signing, "time", mock.Mock(time=lambda: time.time() - 61)):
        old = web_chat.stream_ticket(web_chat.read_visitor_token(token) or "")
    assert refused(old)
    # A stream ticket is not a visitor token either: it opens nothing else.
    messages = client.get("/widget/api/messages?after=0", HTTP_X_HAUMAI_VISITOR=ticket)
    assert messages.status_code == 401
    assert not refused(ticket)  # the real one still works (204 under WSGI)
