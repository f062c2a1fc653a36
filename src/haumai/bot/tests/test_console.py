"""The bot's console page, its navigation entry, timeline sentences and privacy declaration."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.bot.models import BotConversation
from haumai.bot.tests.test_conversations import say
from haumai.core.registry import sentence_for
from haumai.events.models import Event

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_report_shows_intents_hand_overs_and_what_was_not_understood(
    make_staff: Any, help_articles: int, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    say("cach ve sinh luoi loc dieu hoa", 1, django_capture_on_commit_callbacks)
    say("mua vé máy bay ở đâu", 2, django_capture_on_commit_callbacks, visitor="v2")
    say("gap nhan vien", 3, django_capture_on_commit_callbacks, visitor="v3")
    client = _client(make_staff("agent"))
    client.get("/console/bot/")  # warm the per-process caches (permissions, navigation)
    with django_assert_max_num_queries(30):
        page = client.get("/console/bot/?days=7")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Câu hỏi hướng dẫn" in body and "Khách yêu cầu gặp nhân viên" in body
    ticket = BotConversation.objects.get(handover_reason="requested").ticket
    assert ticket.code in body
    gaps = client.get("/console/bot/?list=unanswered&days=30").content.decode()
    assert "mua vé máy bay" in gaps
    assert 'href="/console/bot/"' in client.get("/console/").content.decode()


def test_staff_without_the_inbox_cannot_open_it(make_staff: Any) -> None:
    assert _client(make_staff("warehouse")).get("/console/bot/").status_code == 403
    assert Client().get("/console/bot/").status_code == 302


def test_events_read_as_sentences(django_capture_on_commit_callbacks: Any) -> None:
    say("talk to a human", 1, django_capture_on_commit_callbacks)
    event = Event.objects.get(name="bot.handed_over")
    entry = sentence_for(event.name).describe(event)  # type: ignore[union-attr]
    assert event.payload["code"] in entry.text
    assert "bot.handed_over" not in entry.text


def test_the_persons_export_and_deletion_cover_the_bot_state(django_capture_on_commit_callbacks: Any) -> None:
    from haumai.bot import privacy
    from haumai.privacy.registry import Person

    say("don hang 0901234567", 1, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert conversation.pending_data.get("phone") == "+84901234567"
    person = Person(customer=conversation.ticket.customer)
    exported = privacy.export(person)
    assert "+84901234567" in str(exported.tables["bot.botconversation"])
    privacy.anonymize(person, None)
    conversation.refresh_from_db()
    assert conversation.pending_data == {} and conversation.tried == []
