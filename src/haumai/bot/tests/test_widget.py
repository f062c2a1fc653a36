"""The bot in the website chat widget: a visitor's question through the widget's API is answered by the bot,
and the widget labels that answer as the bot's (issue 16's "done when", without the browser)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from haumai.bot.models import BotConversation

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any], token: str = "") -> Any:
    extra = {"HTTP_X_HAUMAI_VISITOR": token} if token else {}
    return client.post(f"/widget/api/{path}", json.dumps(body), content_type="application/json", **extra)


def test_the_widget_shows_the_bots_answer_labelled_as_the_bot(
    settings: Any, help_articles: int, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    cache.clear()
    client = Client()
    token = _post(client, "session", {"token": ""}).json()["token"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = _post(client, "messages", {"client_id": "c-bot-00001", "text": "cach ve sinh luoi loc dieu hoa"}, token)
    assert sent.status_code == 201
    with django_assert_max_num_queries(6):
        polled = client.get("/widget/api/messages?after=0", HTTP_X_HAUMAI_VISITOR=token).json()
    authors = [(m["author"], m["direction"]) for m in polled["messages"]]
    assert authors == [("visitor", "in"), ("bot", "out")]
    answer = polled["messages"][1]["text"]
    assert "/portal/help/" in answer  # the guide, linked
    assert BotConversation.objects.count() == 1
