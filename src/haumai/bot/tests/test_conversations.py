"""Whole conversations through support's ingestion: the bot's stored replies, state, hand-over and its note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.bot.models import BotConversation, BotMode, BotTurn
from haumai.bot.tests.conftest import chat
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.repairs.models import Appointment
from haumai.repairs.tests.booking_helpers import make_center
from haumai.sales.models import Channel
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.support.models import Message, Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import assign, reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(actor=None, sku="WASHER-1", name="Máy giặt LG 9 kg", price=9_000_000, is_serialized=True)
    buyer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0901234567")
    other = create_customer(actor=None, full_name="Trần Thị Bình", phone="0907654321")
    placed = clock.now() - dt.timedelta(days=3)
    line = OrderLineInput(sku="WASHER-1", quantity=1, unit_price=9_000_000, serial="LGW123456")
    order, _ = upsert_order(actor=None, channel_code="website", customer=CustomerRef(code=buyer.code),
                            lines=[line], placed_at=placed, status="shipped", payment_method="cod")
    other_order, _ = upsert_order(actor=None, channel_code="website", customer=CustomerRef(code=other.code),
                                  lines=[OrderLineInput(sku="WASHER-1", quantity=1, unit_price=9_000_000)],
                                  placed_at=placed, status="delivered", delivered_at=placed + dt.timedelta(days=1),
                                  payment_method="cod")
    return {"buyer": buyer, "other": other, "order": order, "other_order": other_order}


def say(text: str, number: int, capture: Any, **kwargs: Any) -> Message:
    """Ingest one chat message (the bot answers after commit) and return the bot's newest public reply."""
    with capture(execute=True):
        stored = ingest_inbound(chat(text, number=number, **kwargs))
    assert stored is not None
    return Message.objects.filter(ticket=stored.ticket, direction="out", visibility="public").order_by("-id").first()


def test_an_anonymous_visitor_gets_the_order_status_only_after_phone_and_order_code(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    order = shop["order"]
    first = say("don hang cua toi giao chua", 1, django_capture_on_commit_callbacks)
    assert order.code not in first.body_text
    assert "ORD-" in first.body_text  # asks for an order code
    conversation = BotConversation.objects.get()
    assert conversation.pending == "identify"
    # Someone else's order with my phone: refused, nothing revealed.
    wrong = say(f"0901234567 {shop['other_order'].code}", 2, django_capture_on_commit_callbacks)
    assert shop["other_order"].code not in wrong.body_text
    assert "Trần" not in wrong.body_text
    right = say(f"sdt 0901 234 567, ma don {order.code}", 3, django_capture_on_commit_callbacks)
    assert order.code in right.body_text
    assert "Đang giao" in right.body_text
    conversation.refresh_from_db()
    assert conversation.verified_customer == shop["buyer"]
    assert conversation.failed_verifications == 1
    assert Event.objects.filter(name="bot.customer_verified", customer=shop["buyer"]).count() == 1
    assert right.author.username == "haumai-bot"
    assert right.ticket.first_response_at is None  # the bot's answers are not the team's first response


def test_a_known_zalo_customer_is_answered_at_once(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from haumai.customers.services import add_identity

    add_identity(actor=None, customer=shop["buyer"], kind="zalo", value="zalo-an")
    answer = say("dh cua mik toi dau r", 1, django_capture_on_commit_callbacks, channel="zalo", visitor="zalo-an")
    assert shop["order"].code in answer.body_text
    assert shop["other_order"].code not in answer.body_text


def test_a_how_to_question_gets_the_article_link(help_articles: int, django_capture_on_commit_callbacks: Any) -> None:
    answer = say("cach ve sinh luoi loc dieu hoa", 1, django_capture_on_commit_callbacks)
    assert "https://shop.example.vn/portal/help/huong-dan-su-dung-dieu-hoa" in answer.body_text
    turn = BotTurn.objects.get()
    assert (turn.intent, turn.article_slug, turn.outcome) == ("how_to", answer.body_text and turn.article_slug,
                                                              "answered")


def test_asking_for_a_person_hands_over_with_the_whole_context(
    shop: dict[str, Any], help_articles: int, django_capture_on_commit_callbacks: Any
) -> None:
    say("đơn hàng của tôi giao chưa", 1, django_capture_on_commit_callbacks)
    say(f"0901234567 {shop['order'].code}", 2, django_capture_on_commit_callbacks)
    say("cach ve sinh luoi loc dieu hoa", 3, django_capture_on_commit_callbacks)
    last = say("gap nhan vien", 4, django_capture_on_commit_callbacks)
    assert "nhân viên" in last.body_text or "team" in last.body_text
    conversation = BotConversation.objects.get()
    assert conversation.mode == BotMode.HANDED_OVER
    assert conversation.handover_reason == "requested"
    note = Message.objects.get(visibility="note")
    for expected in (shop["buyer"].code, shop["order"].code, "Nguyễn Văn An", "gap nhan vien",
                     "Hướng dẫn sử dụng điều hòa"):
        assert expected.lower() in note.body_text.lower()
    assert Event.objects.filter(name="bot.handed_over").count() == 1
    # After the hand-over the bot stays quiet.
    replies = Message.objects.filter(direction="out", visibility="public").count()
    say("alo?", 5, django_capture_on_commit_callbacks)
    assert Message.objects.filter(direction="out", visibility="public").count() == replies


def test_two_misunderstood_messages_hand_over_and_record_the_gap(
    help_articles: int, django_capture_on_commit_callbacks: Any
) -> None:
    from haumai.knowledge.models import UnansweredSearch

    say("mua vé máy bay ở đâu", 1, django_capture_on_commit_callbacks)
    assert BotConversation.objects.get().mode == BotMode.BOT
    say("thời tiết hôm nay thế nào", 2, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert (conversation.mode, conversation.handover_reason) == (BotMode.HANDED_OVER, "not_understood")
    assert UnansweredSearch.objects.filter(source="bot").count() == 2


def test_an_upset_customer_goes_to_a_person(django_capture_on_commit_callbacks: Any) -> None:
    say("Tôi rất thất vọng, giao hàng quá tệ", 1, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert conversation.handover_reason == "negative"


def test_outside_business_hours_the_customer_is_told_when_a_person_answers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Saturday 13 June 2026 at 20:00 in Vietnam: the default calendar opens again Monday 08:00.
    saturday_night = dt.datetime(2026, 6, 13, 13, 0, tzinfo=dt.UTC)
    with clock.frozen(saturday_night):
        answer = say("talk to a human please", 1, django_capture_on_commit_callbacks)
    assert "08:00" in answer.body_text
    assert "15/06/2026" in answer.body_text


def test_booking_a_repair_offers_free_slots_and_books_the_choice(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    make_center()
    say("dat lich sua may giat", 1, django_capture_on_commit_callbacks)
    say(f"0901234567 {shop['order'].code}", 2, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert conversation.pending == "choose_slot"
    offered = conversation.pending_data["slots"]
    booked = say("2", 3, django_capture_on_commit_callbacks)
    appointment = Appointment.objects.get()
    assert appointment.code in booked.body_text
    assert appointment.customer == shop["buyer"]
    assert appointment.starts_at == dt.datetime.fromisoformat(offered[1])


def test_centre_hours_and_warranty_by_serial(django_capture_on_commit_callbacks: Any) -> None:
    make_center(address="12 Trần Thái Tông, Cầu Giấy")
    hours = say("gio mo cua trung tam bao hanh", 1, django_capture_on_commit_callbacks)
    assert "Trần Thái Tông" in hours.body_text and "08:00" in hours.body_text
    unknown = say("kiem tra bao hanh serial ZZ99887766", 2, django_capture_on_commit_callbacks)
    assert "ZZ99887766" in unknown.body_text


def test_an_agent_taking_the_ticket_ends_bot_mode(make_staff: Any, django_capture_on_commit_callbacks: Any) -> None:
    say("xin chào", 1, django_capture_on_commit_callbacks)
    agent = make_staff("agent")
    ticket = Ticket.objects.get()
    assign(actor=agent, ticket=ticket, assignee=agent)
    reply(actor=agent, ticket=ticket, body="Chào anh, em là An.")
    before = Message.objects.filter(direction="out").count()
    say("cho em hỏi đơn hàng", 2, django_capture_on_commit_callbacks)
    assert Message.objects.filter(direction="out").count() == before
    assert BotConversation.objects.get().mode == BotMode.AGENT


def test_email_is_never_answered_and_the_channel_switch_is_honoured(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from haumai.support.channels.inbound import InboundMessage

    with django_capture_on_commit_callbacks(execute=True):
        ingest_inbound(InboundMessage(channel="email", external_id="m1@x.vn", sender_kind="email",
                                      sender_value="an@x.vn", sent_at=clock.now(), subject="Hi", text="xin chào"))
    settings.HAUMAI_BOT_CHANNELS = "zalo"
    say("xin chào", 1, django_capture_on_commit_callbacks)
    assert not BotConversation.objects.exists()
    assert not Message.objects.filter(direction="out").exists()


def test_a_turn_costs_a_fixed_number_of_queries(
    shop: dict[str, Any], help_articles: int, django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from haumai.bot import services
    from haumai.bot.tests.conftest import chat

    say("xin chào", 1, django_capture_on_commit_callbacks)  # the conversation exists, the index is built
    for number, text in enumerate(["cach ve sinh luoi loc dieu hoa", "bảo hành có mất phí không"], start=2):
        stored = ingest_inbound(chat(text, number=number))
        assert stored is not None
        with django_assert_max_num_queries(22):  # 18 measured on SQLite
            services.handle_message(message=stored)
