"""The bot's generative answers: only from retrieved articles with sources; plain retrieval when the AI fails."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.assist.models import AICall
from haumai.bot.models import BotTurn
from haumai.bot.tests.conftest import chat
from haumai.support.models import Message
from haumai.support.services.ingest import ingest_inbound
from haumai.testing.ai_provider import LocalAIProvider

pytestmark = [pytest.mark.django_db, pytest.mark.bot]
QUESTION = "cach ve sinh luoi loc dieu hoa"
FALLBACK = "(Trả lời từ bài viết, AI không phản hồi.)"  # the bot answers in the customer's language


def _answer(text: str, capture: Any, number: int = 1) -> Message:
    with capture(execute=True):
        stored = ingest_inbound(chat(text, number=number))
    assert stored is not None
    return Message.objects.filter(ticket=stored.ticket, direction="out", visibility="public").order_by("-id").first()


def test_a_how_to_question_gets_a_written_answer_with_its_source(
    ai: LocalAIProvider, articles: int, django_capture_on_commit_callbacks: Any
) -> None:
    ai.reply = "Tháo lưới lọc, rửa bằng nước sạch và để khô rồi lắp lại [1]."
    answer = _answer(QUESTION, django_capture_on_commit_callbacks)
    assert answer.body_text.startswith("Tháo lưới lọc, rửa bằng nước sạch và để khô rồi lắp lại.")
    assert "Nguồn: " in answer.body_text and "https://shop.example.vn/portal/help/" in answer.body_text
    sent = ai.calls("/v1/chat/completions")[0]["messages"][1]["content"]
    assert '<data kind="article" number="1">' in sent and '<data kind="customer_message">' in sent
    call = AICall.objects.get()
    assert (call.purpose, call.outcome, call.actor_label) == ("bot_answer", "ok", "bot")
    assert BotTurn.objects.get().article_slug


@pytest.mark.parametrize("failure", ["slow", "429", "500", "garbage"])
def test_a_failing_provider_falls_back_to_the_article_and_says_so(
    ai: LocalAIProvider, articles: int, settings: Any, django_capture_on_commit_callbacks: Any, failure: str
) -> None:
    ai.configure(settings, timeout=0.3)
    ai.script(failure)
    answer = _answer(QUESTION, django_capture_on_commit_callbacks)
    assert "https://shop.example.vn/portal/help/huong-dan-su-dung-dieu-hoa" in answer.body_text
    assert FALLBACK in answer.body_text
    assert AICall.objects.get().outcome != "ok"


def test_when_the_articles_do_not_answer_the_bot_gives_the_article_without_a_failure_line(
    ai: LocalAIProvider, articles: int, django_capture_on_commit_callbacks: Any
) -> None:
    ai.reply = "NO_ANSWER"
    answer = _answer(QUESTION, django_capture_on_commit_callbacks)
    assert "huong-dan-su-dung-dieu-hoa" in answer.body_text and FALLBACK not in answer.body_text


def test_tasks_and_greetings_never_call_the_ai(
    ai: LocalAIProvider, articles: int, django_capture_on_commit_callbacks: Any
) -> None:
    _answer("xin chào", django_capture_on_commit_callbacks)
    _answer("đơn hàng của tôi giao chưa", django_capture_on_commit_callbacks, number=2)
    assert not ai.requests and not AICall.objects.exists()


def test_without_a_provider_the_bot_answers_as_before(articles: int, django_capture_on_commit_callbacks: Any) -> None:
    answer = _answer(QUESTION, django_capture_on_commit_callbacks)
    assert "huong-dan-su-dung-dieu-hoa" in answer.body_text and FALLBACK not in answer.body_text
    assert not AICall.objects.exists()
