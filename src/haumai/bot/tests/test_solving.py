"""Tickets the bot answered are solved by the scheduler (after a thank-you at once, else after N quiet hours),
never when a person took them or the bot handed over; the customer's next message reopens them."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from haumai.bot.models import BotConversation
from haumai.bot.tests.conftest import chat
from haumai.core import clock, scheduler
from haumai.core.registry import sentence_for
from haumai.events.models import Event
from haumai.repairs.tests.booking_helpers import make_center
from haumai.support.models import Message, Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import assign

pytestmark = pytest.mark.django_db
HOURS_QUESTION = "gio mo cua trung tam bao hanh"


def say(text: str, number: int, capture: Any, visitor: str = "visitor-1") -> Message:
    with capture(execute=True):
        stored = ingest_inbound(chat(text, number=number, visitor=visitor))
    assert stored is not None
    return stored


def describe_event(event: Event) -> Any:
    return sentence_for(event.name).describe(event)  # type: ignore[union-attr]


def tick() -> int:
    return scheduler.tick()["bot.solve_answered"]


def test_an_answered_ticket_is_solved_after_the_quiet_hours_with_a_timeline_sentence(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_center()
    asked = say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert conversation.solve_reason == "quiet"
    assert conversation.solve_due_at == clock.now() + dt.timedelta(hours=24)
    assert tick() == 0
    clock.advance(dt.timedelta(hours=23, minutes=59))
    assert tick() == 0 and Ticket.objects.get().status == "new"
    clock.advance(dt.timedelta(minutes=2))
    assert tick() == 1
    ticket = Ticket.objects.get()
    assert ticket.status == "solved" and ticket.solved_at == clock.now()
    assert ticket.first_contact_resolution is False and ticket.first_response_at is None
    conversation.refresh_from_db()
    assert (conversation.solve_due_at, conversation.solved_at) == (None, clock.now())
    event = Event.objects.get(name="bot.ticket_solved")
    assert (event.subject_id, event.payload["code"], event.customer_id) == (
        str(ticket.pk),
        ticket.code,
        ticket.customer_id,
    )
    sentence = describe_event(event).text
    assert ticket.code in sentence and "24" in sentence
    assert Event.objects.filter(name="ticket.solved", actor_label="bot").count() == 1
    assert tick() == 0  # once
    assert asked.ticket_id == ticket.pk


def test_a_thank_you_after_an_answer_solves_at_the_next_tick(django_capture_on_commit_callbacks: Any) -> None:
    make_center()
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    say("ok cam on shop nhieu", 2, django_capture_on_commit_callbacks)
    conversation = BotConversation.objects.get()
    assert (conversation.solve_reason, conversation.solve_due_at) == ("thanked", clock.now())
    assert tick() == 1
    assert Ticket.objects.get().status == "solved"
    sentence = describe_event(Event.objects.get(name="bot.ticket_solved")).text
    assert "24" not in sentence and ("thanked" in sentence or "cảm ơn" in sentence)


def test_a_thank_you_before_any_answer_and_a_question_the_bot_asks_solve_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    say("cảm ơn", 1, django_capture_on_commit_callbacks)
    assert BotConversation.objects.get().solve_due_at is None
    say("don hang cua toi giao chua", 1, django_capture_on_commit_callbacks, visitor="visitor-2")  # asks who
    clock.advance(dt.timedelta(days=3))
    assert tick() == 0
    assert set(Ticket.objects.values_list("status", flat=True)) == {"new"}


def test_a_question_after_the_answer_cancels_the_solve(django_capture_on_commit_callbacks: Any) -> None:
    make_center()
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    say("don hang cua toi giao chua", 2, django_capture_on_commit_callbacks)  # the bot now waits for an answer
    assert BotConversation.objects.get().solve_due_at is None
    clock.advance(dt.timedelta(days=2))
    assert tick() == 0 and Ticket.objects.get().status == "new"


def test_handed_over_or_taken_by_an_agent_is_never_solved_by_the_bot(
    make_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_center()
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    say("gặp nhân viên", 2, django_capture_on_commit_callbacks)
    assert BotConversation.objects.get().solve_due_at is None
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks, visitor="visitor-2")
    taken = Ticket.objects.get(customer__identities__value="visitor-2")
    agent = make_staff("agent")
    assign(actor=agent, ticket=taken, assignee=agent)  # the agent takes it without writing yet
    clock.advance(dt.timedelta(hours=25))
    assert tick() == 1  # claimed, declined, out of the due set
    assert set(Ticket.objects.values_list("status", flat=True)) == {"new"}
    assert not Event.objects.filter(name="bot.ticket_solved").exists()
    assert not BotConversation.objects.filter(solve_due_at__isnull=False).exists()


def test_the_customer_writing_again_reopens_the_solved_ticket_and_the_bot_answers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_center()
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    clock.advance(dt.timedelta(hours=25))
    assert tick() == 1
    again = say("dat lich sua may giat", 2, django_capture_on_commit_callbacks)
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.reopen_count) == ("open", 1)
    assert again.ticket_id == ticket.pk
    assert Event.objects.filter(name="ticket.reopened").count() == 1
    newest = Message.objects.filter(ticket=ticket, direction="out", visibility="public").order_by("-id").first()
    assert newest is not None and newest.created_at == clock.now()  # the bot answered the reopened ticket


def test_zero_hours_turns_automatic_solving_off(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.HAUMAI_BOT_SOLVE_AFTER_HOURS = "0"
    make_center()
    say(HOURS_QUESTION, 1, django_capture_on_commit_callbacks)
    say("cảm ơn", 2, django_capture_on_commit_callbacks)
    assert BotConversation.objects.get().solve_due_at is None
    clock.advance(dt.timedelta(days=3))
    assert tick() == 0


def solve_source() -> scheduler.DueSource:
    return next(source for source in scheduler.registered() if source.name == "bot.solve_answered")


def race(works: list[Any]) -> list[BaseException]:
    """Run the callables at once (one thread each, released together); the errors they raised."""
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Any) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # pragma: no cover - reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def reply_of(visitor: str) -> Any:
    return lambda: ingest_inbound(chat("còn một câu hỏi nữa ạ", number=2, visitor=visitor))


@pytest.mark.django_db(transaction=True)
def test_parallel_replies_while_the_scheduler_solves_are_never_lost(settings: Any) -> None:
    """Customers write while the scheduler solves their tickets: each ticket ends reopened or never solved, never
    solved with an unread reply (PostgreSQL row locks; the solve never waits for a ticket's lock)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    make_center()
    tickets = 12
    for round_number in range(3):
        settings.HAUMAI_BOT_ENABLED = "1"
        visitors = [f"race-{round_number}-{n}" for n in range(tickets)]
        for visitor in visitors:
            stored = ingest_inbound(chat(HOURS_QUESTION, number=1, visitor=visitor))  # commits: the bot answers
            assert stored is not None
        assert BotConversation.objects.filter(solve_due_at__isnull=False).count() == tickets
        clock.advance(dt.timedelta(hours=25))
        settings.HAUMAI_BOT_ENABLED = "0"  # the replies below are stored, not answered
        solve = lambda: scheduler.run_source(solve_source(), batch_size=500)  # noqa: E731
        assert race([solve, *(reply_of(v) for v in visitors)]) == []
        clock.advance(dt.timedelta(minutes=2))
        scheduler.run_source(solve_source(), batch_size=500)  # a solve that found a ticket busy again: declined
        for ticket in Ticket.objects.filter(customer__identities__value__in=visitors):
            assert ticket.messages.filter(direction="in").count() == 2
            reopened = Event.objects.filter(name="ticket.reopened", subject_id=str(ticket.pk)).count()
            assert ticket.reopen_count == reopened, ticket.code
            assert ticket.status == ("open" if reopened else ticket.status), ticket.code
            assert ticket.status in ("new", "open"), ticket.code  # never solved with the reply unread
        assert not BotConversation.objects.filter(solve_due_at__isnull=False).exists()
