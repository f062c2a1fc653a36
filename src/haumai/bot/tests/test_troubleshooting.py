"""The bot walks a troubleshooting article's tree in the chat: one step per message, the step's answers as
numbered quick replies, ending at a fix (counted on the step), a repair booking, or a hand-over."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from haumai.bot.models import BotConversation, BotMode, BotTurn
from haumai.bot.tests.conftest import chat
from haumai.bot.tests.helpers import publish_demo_troubleshooting
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.knowledge.models import TroubleshootingStep
from haumai.knowledge.services import archive
from haumai.repairs.tests.booking_helpers import make_center
from haumai.sales.models import Channel
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.support.models import Message
from haumai.support.services.ingest import ingest_inbound

pytestmark = pytest.mark.django_db

PURIFIER = "Máy lọc nước không ra nước hoặc nước ra yếu"
PHONE = "Điện thoại không sạc được pin"


@pytest.fixture
def trees(make_staff: Any) -> dict[str, Any]:
    manager = make_staff("manager")
    return {"manager": manager, **publish_demo_troubleshooting(manager)}


def say(text: str, number: int, capture: Any) -> Message:
    with capture(execute=True):
        stored = ingest_inbound(chat(text, number=number))
    assert stored is not None
    return Message.objects.filter(ticket=stored.ticket, direction="out", visibility="public").order_by("-id").first()


def step(text_start: str) -> TroubleshootingStep:
    return TroubleshootingStep.objects.get(text__startswith=text_start)


def test_a_question_starts_the_tree_and_each_answer_leads_one_step_down(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = say("may loc nuoc nha em ra nuoc yeu qua", 1, django_capture_on_commit_callbacks)
    assert "Máy đã cắm điện và đèn nguồn có sáng không?" in first.body_text
    assert "1. Đèn không sáng\n2. Đèn sáng bình thường" in first.body_text
    conversation = BotConversation.objects.get()
    assert conversation.pending == "troubleshoot"
    assert conversation.pending_data["step"] == step("Máy đã cắm điện").pk

    by_number = say("2", 2, django_capture_on_commit_callbacks)
    assert "Van cấp nước đầu vào đã mở hết chưa?" in by_number.body_text
    by_words = say("da mo het roi", 3, django_capture_on_commit_callbacks)  # typed without diacritics
    assert "Lần gần nhất thay lõi lọc là khi nào?" in by_words.body_text
    fix = say("1. Hơn 6 tháng trước hoặc chưa thay", 4, django_capture_on_commit_callbacks)  # a clicked quick reply
    assert "Thay lõi 1–3" in fix.body_text and "1. Yes, it works" not in fix.body_text
    assert "1. Được rồi, đã hoạt động\n2. Chưa, vẫn bị lỗi" in fix.body_text  # the conversation is in Vietnamese
    conversation.refresh_from_db()
    assert conversation.pending == "troubleshoot_fix"

    done = say("được rồi, cảm ơn", 5, django_capture_on_commit_callbacks)
    assert "vui" in done.body_text.lower()
    filter_fix = step("Lõi lọc thô")
    assert (filter_fix.fixed_count, filter_fix.not_fixed_count) == (1, 0)  # the readers' count of the help center
    conversation.refresh_from_db()
    assert conversation.pending == "" and conversation.mode == BotMode.BOT
    assert any("Van cấp nước đầu vào" in t and "Đã mở hết" in t for t in conversation.tried)
    turns = list(BotTurn.objects.order_by("id").values_list("intent", "outcome", "article_slug"))
    assert [t[1] for t in turns] == ["asked", "asked", "asked", "asked", "done"]
    assert [t[0] for t in turns][:4] == ["how_to"] * 4 and len({t[2] for t in turns}) == 1


def test_a_fix_that_does_not_help_hands_over_with_the_path_in_the_note(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    say("máy lọc nước không ra nước", 1, django_capture_on_commit_callbacks)
    say("Đèn không sáng", 2, django_capture_on_commit_callbacks)
    last = say("vẫn chưa được", 3, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert (conversation.mode, conversation.handover_reason) == (BotMode.HANDED_OVER, "troubleshooting")
    assert "nhân viên" in last.body_text or "đội" in last.body_text
    plug = step("Kiểm tra phích cắm")
    assert (plug.fixed_count, plug.not_fixed_count) == (0, 1)
    note = Message.objects.get(visibility="note").body_text
    for expected in ("Máy đã cắm điện và đèn nguồn có sáng không?", "Đèn không sáng", "Kiểm tra phích cắm"):
        assert expected in note


def test_talk_to_us_hands_over_and_a_repair_step_books_through_the_bot(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = say("dien thoai khong sac duoc pin", 1, django_capture_on_commit_callbacks)
    assert "3. Máy nóng bất thường khi sạc" in first.body_text
    danger = say("3", 2, django_capture_on_commit_callbacks)
    assert "Ngưng sạc ngay" in danger.body_text
    assert BotConversation.objects.get().handover_reason == "troubleshooting"


def test_a_repair_step_goes_on_to_booking_after_the_customer_proves_who_they_are(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(actor=None, sku="PHONE-1", name="Điện thoại A", price=5_000_000, is_serialized=True)
    buyer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0901234567")
    order, _ = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=buyer.code),
        lines=[OrderLineInput(sku="PHONE-1", quantity=1, unit_price=5_000_000)],
        placed_at=clock.now() - dt.timedelta(days=30),
        status="delivered",
        delivered_at=clock.now() - dt.timedelta(days=28),
        payment_method="cod",
    )
    make_center()
    say("điện thoại không sạc được", 1, django_capture_on_commit_callbacks)
    say("không hiện gì", 2, django_capture_on_commit_callbacks)
    repair = say("đã thử rồi, vẫn không sạc", 3, django_capture_on_commit_callbacks)
    assert "Cổng sạc hoặc mạch sạc" in repair.body_text and "ORD-" in repair.body_text
    conversation = BotConversation.objects.get()
    assert (conversation.pending, conversation.pending_data.get("resume")) == ("identify", "book_repair")
    slots = say(f"0901234567 {order.code}", 4, django_capture_on_commit_callbacks)
    conversation.refresh_from_db()
    assert conversation.pending == "choose_slot" and conversation.verified_customer == buyer
    assert "1. " in slots.body_text


def test_an_answer_not_matched_is_asked_again_then_a_person_takes_over(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    say("may loc nuoc ra nuoc yeu", 1, django_capture_on_commit_callbacks)
    again = say("hôm qua vẫn bình thường", 2, django_capture_on_commit_callbacks)
    assert "1. Đèn không sáng" in again.body_text
    assert BotConversation.objects.get().mode == BotMode.BOT
    say("9", 3, django_capture_on_commit_callbacks)  # no such answer
    conversation = BotConversation.objects.get()
    assert (conversation.mode, conversation.handover_reason) == (BotMode.HANDED_OVER, "not_understood")


def test_another_question_leaves_the_tree(trees: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    say("may loc nuoc ra nuoc yeu", 1, django_capture_on_commit_callbacks)
    other = say("đơn hàng của tôi giao chưa", 2, django_capture_on_commit_callbacks)
    assert "ORD-" in other.body_text
    assert BotConversation.objects.get().pending == "identify"


def test_an_article_unpublished_during_the_walk_hands_over(
    trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    say("may loc nuoc ra nuoc yeu", 1, django_capture_on_commit_callbacks)
    archive(actor=trees["manager"], article=trees[PURIFIER])
    say("2", 2, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert (conversation.mode, conversation.handover_reason) == (BotMode.HANDED_OVER, "troubleshooting")


def test_the_widget_shows_the_steps_answers_as_quick_replies(
    settings: Any, trees: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    cache.clear()
    client = Client()
    token = client.post("/widget/api/session", json.dumps({"token": ""}), content_type="application/json").json()[
        "token"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/widget/api/messages",
            json.dumps({"client_id": "c-tree-0001", "text": "máy lọc nước ra yếu"}),
            content_type="application/json",
            HTTP_X_HAUMAI_VISITOR=token,
        )
    polled = client.get("/widget/api/messages?after=0", HTTP_X_HAUMAI_VISITOR=token).json()["messages"]
    assert polled[0]["quick_replies"] == []
    assert polled[1]["quick_replies"] == ["1. Đèn không sáng", "2. Đèn sáng bình thường"]
