"""The bot's entry point: a new inbound chat message → one answer on the ticket, or a hand-over.

`on_inbound_message` is registered with support's inbound listeners (called after the message is
committed). A ticket is in bot mode until the bot hands it over or an agent is assigned or replies;
e-mail and phone are never answered. Turns of one ticket are serialized on the ticket's row lock, and a
message is answered at most once (its BotTurn is unique), so parallel deliveries cannot double-answer.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from haumai.bot import conf, dialog, generative, handover, intents, retrieval, solving, troubleshooting
from haumai.bot.answers import Reply
from haumai.bot.models import BotConversation, BotMode, BotTurn, HandoverReason, TurnOutcome
from haumai.bot.text import ENGLISH_HINTS, TEENCODE, VIETNAMESE_HINTS, Vocabulary, read
from haumai.core import clock
from haumai.events.services import record_event
from haumai.knowledge.models import SearchSource
from haumai.knowledge.services import record_unanswered_search
from haumai.sales import selectors as sales
from haumai.support.models import Message, Ticket, TicketStatus, Visibility
from haumai.support.services.automated import post_automated_message
from haumai.support.services.common import lock_ticket

logger = logging.getLogger(__name__)
BOT_USERNAME = "haumai-bot"
HISTORY_KEPT = 30
TRIED_KEPT = 20


def bot_user() -> Any:
    """The author of the bot's messages: an inactive user without a password (it can never sign in)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=BOT_USERNAME).first()
    if user is None:
        user = user_model(username=BOT_USERNAME, first_name=conf.name(), is_active=False)
        user.set_unusable_password()
        user.save()
    return user


@lru_cache(maxsize=4)
def _vocabulary(index_id: int, words: frozenset[str]) -> Vocabulary:
    base = intents.vocabulary_words() | set(VIETNAMESE_HINTS) | set(ENGLISH_HINTS)
    for value in TEENCODE.values():
        base.update(value.split())
    return Vocabulary(base | set(words))


def vocabulary() -> Vocabulary:
    """Words the spelling corrector knows: the intent patterns and every published article's words."""
    built = retrieval.index()
    return _vocabulary(id(built), frozenset(built.vocabulary))


def understand(text: str, *, default_language: str = "vi") -> tuple[Any, intents.Guess]:
    """Read a message and guess its intent (no database writes; used by the tests and the benchmark)."""
    reading = read(text, vocabulary(), default_language=default_language)
    return reading, intents.classify(reading)


def on_inbound_message(message: Message) -> None:
    """Support listener: answer a new inbound chat message when the bot is on for its channel."""
    if not conf.enabled() or message.channel not in conf.channels():
        return
    if message.direction != "in" or message.visibility != Visibility.PUBLIC:
        return
    # The optional AI answer is prepared here, before the turn locks the ticket (see bot.generative).
    handle_message(message=message, generated=generative.prepare(message, understand))


def _identified(ticket: Ticket, conversation: BotConversation) -> Any:
    if conversation.verified_customer_id:
        return conversation.verified_customer
    customer = ticket.customer
    return customer if sales.order_list(customer_code=customer.code, limit=1) else None


def handle_message(*, message: Message, generated: generative.Generated | None = None) -> BotTurn | None:
    """Answer one inbound message (at most once); None when the ticket is not in bot mode."""
    started = time.perf_counter()
    with transaction.atomic():
        ticket = lock_ticket(Ticket(pk=message.ticket_id))
        if ticket.status in (TicketStatus.CLOSED, TicketStatus.MERGED):
            return None
        now = clock.now()
        conversation, _created = BotConversation.objects.select_for_update().get_or_create(
            ticket=ticket, defaults={"created_at": now, "updated_at": now,
                                     "language": (ticket.customer.preferred_language or "vi")[:2]},
        )  # fmt: skip
        existing = BotTurn.objects.filter(message=message).first()
        if existing is not None:
            return existing
        if conversation.mode != BotMode.BOT:
            return None
        if ticket.assignee_id is not None or ticket.first_response_at is not None:
            conversation.mode = BotMode.AGENT
            conversation.updated_at = now
            solving.cancel_solve(conversation)
            conversation.save(update_fields=["mode", "updated_at", "solve_due_at", "solve_reason"])
            return None
        turn = _turn(conversation, ticket, message)
        turn.generated = generated
        with translation.override(turn.reading.language):
            reply = _safe_decide(turn, len(message.body_text or ""))
            posted = _deliver(turn, reply, message)
        return _record(turn, reply, posted, message, started)


def _turn(conversation: BotConversation, ticket: Ticket, message: Message) -> dialog.Turn:
    reading = read(message.body_text, vocabulary(), default_language=conversation.language or "vi")
    if len(reading.words) >= 2:
        conversation.language = reading.language
    guess = intents.classify(reading)
    return dialog.Turn(conversation=conversation, ticket=ticket, reading=reading, guess=guess,
                       customer=_identified(ticket, conversation), message_key=str(message.pk))


def _safe_decide(turn: dialog.Turn, length: int) -> Reply:
    if length >= conf.long_message_chars():
        return Reply("", outcome="handed_over", handover=HandoverReason.LONG_MESSAGE)
    message_negative = turn.ticket.negative_sentiment and turn.conversation.turn_count == 0
    if message_negative or _negative(turn.reading.original):
        return Reply("", outcome="handed_over", handover=HandoverReason.NEGATIVE)
    try:
        return dialog.decide(turn)
    except Exception:  # a fault in one task must not leave the customer unanswered
        logger.exception("bot turn failed on ticket %s", turn.ticket.pk)
        return Reply("", outcome="handed_over", handover=HandoverReason.RULE, tried="the bot hit an error")


def _negative(text: str) -> bool:
    from haumai.support.sentiment import is_negative

    return is_negative(text)


def _deliver(turn: dialog.Turn, reply: Reply, message: Message) -> Message | None:
    conversation, ticket = turn.conversation, turn.ticket
    conversation.turn_count += 1
    intent = turn.guess.intent if turn.guess.confident or reply.article_slug else intents.UNKNOWN
    walking = conversation.pending in troubleshooting.PENDING  # an answer in a troubleshooting tree
    if reply.article_slug:
        intent = intents.HOW_TO if walking or intent in (intents.UNKNOWN, intents.HOW_TO) else intent
    conversation.intent_history = [*conversation.intent_history, intent][-HISTORY_KEPT:]
    conversation.last_intent, conversation.last_confidence = intent, turn.guess.confidence
    if reply.tried:
        conversation.tried = [*conversation.tried, reply.tried][-TRIED_KEPT:]
    if reply.outcome == TurnOutcome.NOT_UNDERSTOOD and not reply.handover:
        conversation.misunderstood_count += 1
        record_unanswered_search(query=turn.reading.original[:200], language=turn.reading.language,
                                 source=SearchSource.BOT)
        if conversation.misunderstood_count >= 2:
            reply = Reply("", outcome="handed_over", handover=HandoverReason.NOT_UNDERSTOOD)
    elif reply.outcome in (TurnOutcome.ANSWERED, TurnOutcome.DONE):
        conversation.misunderstood_count = 0
    if reply.handover:
        return _hand_over(turn, reply)
    conversation.pending, conversation.pending_data = reply.pending, reply.pending_data
    thanked = turn.guess.confident and turn.guess.intent == intents.THANKS
    solving.plan_solve(conversation, reply, thanked=thanked, message_at=message.created_at)
    conversation.updated_at = clock.now()
    conversation.save()
    if conversation.verified_customer_id and "verified" in reply.tried:
        record_event(name="bot.customer_verified", customer=conversation.verified_customer, subject=ticket,
                     actor_label="bot", payload={"code": ticket.code, "order": getattr(conversation.verified_order,
                                                                                          "code", "")})
    return post_automated_message(ticket=ticket, body=reply.text, author=bot_user(), sender_label=conf.name())


def _hand_over(turn: dialog.Turn, reply: Reply) -> Message:
    conversation, ticket = turn.conversation, turn.ticket
    reason = reply.handover if reply.handover in HandoverReason.values else HandoverReason.RULE
    intro = reply.text + "\n" if reply.text else ""
    posted = post_automated_message(ticket=ticket, body=intro + handover.customer_text(ticket, turn.reading.language),
                                    author=bot_user(), sender_label=conf.name())
    note = handover.note_text(conversation=conversation, ticket=ticket, identified=turn.customer, reason=reason)
    post_automated_message(ticket=ticket, body=note, author=bot_user(), sender_label=conf.name(),
                           visibility=Visibility.NOTE)
    now = clock.now()
    conversation.mode, conversation.handover_reason, conversation.handed_over_at = BotMode.HANDED_OVER, reason, now
    conversation.updated_at = now
    solving.cancel_solve(conversation)
    conversation.save()
    customer = conversation.verified_customer if conversation.verified_customer_id else ticket.customer
    record_event(name="bot.handed_over", customer=customer, subject=ticket, actor_label="bot",
                 payload={"code": ticket.code, "reason": reason, "intent": conversation.last_intent,
                          "turns": conversation.turn_count})
    return posted


def _record(turn: dialog.Turn, reply: Reply, posted: Message | None, message: Message, started: float) -> BotTurn:
    conversation = turn.conversation
    outcome = TurnOutcome.HANDED_OVER if conversation.mode == BotMode.HANDED_OVER else reply.outcome
    return BotTurn.objects.create(
        conversation=conversation, message=message, reply=posted,
        intent=conversation.last_intent or intents.UNKNOWN, confidence=turn.guess.confidence,
        outcome=outcome if outcome in TurnOutcome.values else TurnOutcome.ANSWERED,
        article_slug=reply.article_slug[:220], language=turn.reading.language,
        duration_ms=int((time.perf_counter() - started) * 1000), created_at=clock.now(),
    )  # fmt: skip


def hand_over_by_rule(*, ticket: Ticket, reason: str = HandoverReason.RULE) -> BotConversation | None:
    """Take a ticket out of bot mode now (a rule or an agent's button), with the note for the team."""
    with transaction.atomic():
        locked = lock_ticket(ticket)
        conversation = BotConversation.objects.select_for_update().filter(ticket=locked).first()
        if conversation is None or conversation.mode != BotMode.BOT:
            return conversation
        note = handover.note_text(conversation=conversation, ticket=locked,
                                  identified=_identified(locked, conversation), reason=reason)
        post_automated_message(ticket=locked, body=note, author=bot_user(), sender_label=conf.name(),
                               visibility=Visibility.NOTE)
        now = clock.now()
        conversation.mode, conversation.handover_reason, conversation.handed_over_at = BotMode.HANDED_OVER, reason, now
        conversation.updated_at = now
        solving.cancel_solve(conversation)
        conversation.save()
        record_event(name="bot.handed_over", customer=locked.customer, subject=locked, actor_label="bot",
                     payload={"code": locked.code, "reason": reason, "intent": conversation.last_intent,
                              "turns": conversation.turn_count})
    return conversation
