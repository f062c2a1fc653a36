"""The ticket page's AI actions (nothing sent without the agent's click) and the administrators' call log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.assist.models import AICall
from haumai.assist.tests.conftest import receive
from haumai.support.models import Message, Ticket
from haumai.testing.ai_provider import LocalAIProvider

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_draft_fills_the_reply_box_and_nothing_is_sent(
    ai: LocalAIProvider, shop: dict[str, Any], articles: int, make_staff: Any
) -> None:
    receive("Máy lạnh chảy nước thì phải làm sao?")
    ticket = Ticket.objects.get()
    client = _client(make_staff("agent"))
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert 'id="ticket-assist"' in page and 'id="assist-draft"' in page
    ai.reply = "Dạ, anh vệ sinh lưới lọc theo hướng dẫn [1]."
    response = client.post(reverse("assist:draft", args=[ticket.code]))
    assert response.status_code == 302
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    box = page.split('id="reply-body"', 1)[1].split("</textarea>", 1)[0]
    assert "Dạ, anh vệ sinh lưới lọc theo hướng dẫn." in box
    assert 'id="assist-result"' in page
    assert not Message.objects.filter(direction="out").exists()


def test_summary_is_shown_on_the_page(ai: LocalAIProvider, shop: dict[str, Any], make_staff: Any) -> None:
    receive("Tôi muốn đổi máy")
    ticket = Ticket.objects.get()
    client = _client(make_staff("agent"))
    ai.reply = "- Khách muốn đổi máy <script>x</script>"
    client.post(reverse("assist:summary", args=[ticket.code]))
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert "- Khách muốn đổi máy &lt;script&gt;" in page  # the model's text is escaped, never run


def test_a_failing_provider_shows_a_clear_message_and_changes_nothing(
    ai: LocalAIProvider, shop: dict[str, Any], make_staff: Any
) -> None:
    receive("xin chào")
    ticket = Ticket.objects.get()
    client = _client(make_staff("agent"))
    ai.script("429")
    response = client.post(reverse("assist:draft", args=[ticket.code]), follow=True)
    assert "did not answer" in response.content.decode()
    assert not Message.objects.filter(direction="out").exists()


def test_no_ai_panel_when_ai_is_off(shop: dict[str, Any], make_staff: Any) -> None:
    receive("xin chào")
    ticket = Ticket.objects.get()
    page = _client(make_staff("agent")).get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert 'id="ticket-assist"' not in page


def test_actions_need_the_ticket_permissions(ai: LocalAIProvider, shop: dict[str, Any], make_staff: Any) -> None:
    receive("xin chào")
    ticket = Ticket.objects.get()
    client = _client(make_staff("warehouse"))
    for name in ("draft", "summary", "translate"):
        assert client.post(reverse(f"assist:{name}", args=[ticket.code])).status_code == 403
    assert not ai.requests and not AICall.objects.exists()
    assert Client().post(reverse("assist:draft", args=[ticket.code])).status_code == 302  # to the login page


def test_the_call_log_is_for_administrators_and_paginated(
    ai: LocalAIProvider, shop: dict[str, Any], make_staff: Any
) -> None:
    from haumai.assist import usage

    for n in range(60):
        usage.log_call(
            purpose="bot_answer",
            model="m",
            outcome="ok" if n % 2 else "timeout",
            actor_label="bot",
            prompt_tokens=10,
            completion_tokens=5,
        )
    assert _client(make_staff("agent")).get(reverse("assist:calls")).status_code == 403
    assert _client(make_staff("manager")).get(reverse("assist:calls")).status_code == 403
    admin = _client(make_staff("admin"))
    first = admin.get(reverse("assist:calls")).content.decode()
    assert first.count("<tr><td>") == 50 + 1  # 50 calls + the purposes table row
    assert "page=2" in first
    second = admin.get(reverse("assist:calls") + "?page=2").content.decode()
    assert "page=3" not in second
    timeouts = admin.get(reverse("assist:calls") + "?outcome=timeout").content.decode()
    assert timeouts.count('text-bg-warning">Timed out') == 30 and 'text-bg-success">Answered' not in timeouts
