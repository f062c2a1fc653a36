"""Ingestion: identity resolution, threading, replay, reopen rule, sentiment, attachments, parallel replay."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from haumai.core import clock
from haumai.customers.models import Customer, Identity
from haumai.customers.services import add_identity, create_customer
from haumai.events.models import Event
from haumai.support.channels.inbound import InboundAttachment
from haumai.support.models import Attachment, Message, Ticket, TicketStatusChange
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import change_status, reply
from haumai.support.tests.conftest import email, inbound

pytestmark = pytest.mark.django_db


def test_a_message_from_an_unknown_sender_creates_a_contact_and_a_ticket() -> None:
    message = ingest_inbound(inbound())
    assert message is not None
    ticket = message.ticket
    assert ticket.code.startswith("TK-2026-")
    assert ticket.status == "new"
    assert ticket.customer.full_name == "Nguyễn Văn An"
    assert Identity.objects.filter(customer=ticket.customer, kind="zalo", value="8412345678901").exists()
    assert list(TicketStatusChange.objects.filter(ticket=ticket).values_list("new_status", flat=True)) == ["new"]
    assert Event.objects.filter(name="ticket.created", subject_id=str(ticket.pk)).count() == 1


def test_zalo_and_email_of_one_customer_land_on_that_customer() -> None:
    customer = create_customer(actor=None, full_name="Trần Thị Bình", email="binh@example.vn", phone="0912345678")
    add_identity(actor=None, customer=customer, kind="zalo", value="999")
    zalo = ingest_inbound(inbound(sender_value="999"))
    mail = ingest_inbound(email(sender_value="Binh@Example.vn"))
    call = ingest_inbound(
        inbound(channel="phone", external_id="call-1", sender_kind="phone", sender_value="0912 345 678")
    )
    assert zalo and mail and call
    assert {zalo.ticket.customer_id, mail.ticket.customer_id, call.ticket.customer_id} == {customer.pk}
    assert Customer.objects.count() == 1


def test_a_replay_stores_nothing_new() -> None:
    first = ingest_inbound(email())
    events = Event.objects.count()
    again = ingest_inbound(email())
    assert first == again
    assert Message.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert Event.objects.count() == events


def test_email_threads_by_in_reply_to_and_references() -> None:
    first = ingest_inbound(email())
    assert first is not None
    answer = ingest_inbound(email(external_id="def456@mail.example.vn", thread_keys=("abc123@mail.example.vn",)))
    unrelated = ingest_inbound(email(external_id="zzz@mail.example.vn", subject="Another topic"))
    assert answer is not None and unrelated is not None
    assert answer.ticket_id == first.ticket_id
    assert unrelated.ticket_id != first.ticket_id


def test_a_customer_answer_to_our_reply_threads_by_our_message_id(make_staff: Any) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(email())
    assert first is not None
    sent = reply(actor=agent, ticket=first.ticket, body="Chào anh, em đã nhận được.")
    assert sent.external_id
    answer = ingest_inbound(email(external_id="x1@mail.example.vn", thread_keys=(sent.external_id,)))
    assert answer is not None and answer.ticket_id == first.ticket_id


def test_chat_messages_thread_onto_the_open_ticket_of_that_channel() -> None:
    first = ingest_inbound(inbound())
    second = ingest_inbound(inbound(external_id="msg-2", text="Anh ơi?"))
    assert first and second and first.ticket_id == second.ticket_id
    second.ticket.refresh_from_db()
    assert second.ticket.last_customer_message_at == clock.now()


def test_a_reply_within_the_window_reopens_a_solved_ticket_later_a_new_one_follows(make_staff: Any) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(inbound())
    assert first is not None
    reply(actor=agent, ticket=first.ticket, body="Đã xử lý", then_status="solved")
    clock.advance(dt.timedelta(days=2))
    again = ingest_inbound(inbound(external_id="msg-2"))
    assert again is not None and again.ticket_id == first.ticket_id
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert ticket.status == "open" and ticket.reopen_count == 1 and ticket.first_contact_resolution is False
    change_status(actor=agent, ticket=ticket, status="solved")
    clock.advance(dt.timedelta(days=30))
    late = ingest_inbound(inbound(external_id="msg-3"))
    assert late is not None and late.ticket_id != first.ticket_id
    assert Event.objects.filter(name="ticket.created", payload__follows=ticket.code).exists()


def test_a_reply_to_a_closed_ticket_opens_a_new_ticket(make_staff: Any) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(email())
    assert first is not None
    change_status(actor=agent, ticket=first.ticket, status="solved")
    change_status(actor=agent, ticket=first.ticket, status="closed")
    again = ingest_inbound(email(external_id="later@mail.example.vn", thread_keys=("abc123@mail.example.vn",)))
    assert again is not None and again.ticket_id != first.ticket_id
    third = ingest_inbound(email(external_id="later2@mail.example.vn", thread_keys=("abc123@mail.example.vn",)))
    assert third is not None and third.ticket_id == again.ticket_id


def test_an_answer_to_a_pending_ticket_opens_it_again(make_staff: Any) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(inbound())
    assert first is not None
    reply(actor=agent, ticket=first.ticket, body="Anh gửi giúp em số serial", then_status="pending")
    ingest_inbound(inbound(external_id="msg-2", text="SN123"))
    statuses = list(TicketStatusChange.objects.filter(ticket=first.ticket).values_list("new_status", flat=True))
    assert statuses == ["new", "pending", "open"]


@pytest.mark.parametrize("text", ["Tôi rất THẤT VỌNG về dịch vụ", "toi rat that vong", "This is unacceptable!"])
def test_an_angry_message_is_flagged_and_raises_priority(text: str) -> None:
    message = ingest_inbound(inbound(text=text))
    assert message is not None and message.negative_sentiment
    assert message.ticket.priority == "high"


def test_a_calm_message_is_not_flagged() -> None:
    message = ingest_inbound(inbound(text="Cho tôi hỏi lựa chọn màu sắc và sự kiện khuyến mãi"))
    assert message is not None and not message.negative_sentiment and message.ticket.priority == "normal"


def test_html_is_sanitized_and_attachments_stored_outside_the_row(settings: Any) -> None:
    settings.HAUMAI_SUPPORT_MAX_ATTACHMENT_MB = 1
    big = InboundAttachment("video.mp4", "video/mp4", b"x" * (2 * 1024 * 1024))
    small = InboundAttachment("hoa don.jpg", "image/jpeg", b"\xff\xd8\xff" + b"0" * 100)
    message = ingest_inbound(
        email(
            text="",
            html='<p onclick="x()">Xin chào<script>alert(1)</script><a href="javascript:alert(1)">link</a></p>',
            attachments=(big, small),
        )
    )
    assert message is not None
    assert "script" not in message.body_html and "onclick" not in message.body_html
    assert "javascript" not in message.body_html
    assert message.body_text.startswith("Xin chào")
    stored = {a.filename: a for a in Attachment.objects.filter(message=message)}
    assert stored["video.mp4"].refused_reason == "too_large" and not stored["video.mp4"].file
    assert stored["hoa don.jpg"].file.read().startswith(b"\xff\xd8\xff")


def test_a_message_without_id_or_sender_is_refused() -> None:
    from haumai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        ingest_inbound(inbound(external_id=" "))
    with pytest.raises(ValidationFailed):
        ingest_inbound(inbound(sender_value=""))
    assert Ticket.objects.count() == 0 and Customer.objects.count() == 0


def test_follow_events_store_no_message() -> None:
    assert ingest_inbound(inbound(event="follow", external_id="f1")) is None
    assert Message.objects.count() == 0
    assert Event.objects.filter(name="support.contact_followed").count() == 1
    assert ingest_inbound(inbound(event="typing", external_id="t1")) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_replay_stores_one_message_one_ticket_one_contact() -> None:
    workers = 8
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            for index in range(5):
                ingest_inbound(inbound(external_id=f"burst-{index}", sender_value="777"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Message.objects.count() == 5
    assert Ticket.objects.count() == 1
    assert Customer.objects.count() == 1
    assert Event.objects.filter(name="ticket.created").count() == 1


def test_listeners_hear_each_new_message_once_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    from haumai.support.services import listeners

    heard: list[int] = []
    registered = list(listeners._listeners)

    def broken(message: Any) -> None:
        raise RuntimeError("a faulty listener")

    listeners.register_inbound_listener(broken)
    listeners.register_inbound_listener(lambda message: heard.append(message.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = ingest_inbound(email())
        with django_capture_on_commit_callbacks(execute=True):
            ingest_inbound(email())  # a replay: nothing new, nobody told
        assert first is not None
        assert heard == [first.pk]
        assert Message.objects.count() == 1
    finally:
        listeners._listeners[:] = registered
