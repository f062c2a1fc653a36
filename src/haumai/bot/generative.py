"""The bot's optional generative answer (haumai.assist), prepared BEFORE the turn locks the ticket.

Only for a message the bot would answer from the help articles (no pending question, no confident task
intent, a confident retrieval): the AI writes the answer from those articles only, with the sources. The
call happens outside the turn's transaction so a slow provider never holds the ticket's lock. When the
provider is off nothing changes; when it is down, slow, over budget or answers garbage, the bot gives the
plain article answer and says the AI did not respond.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from haumai.assist import conf as assist_conf
from haumai.assist import services as assist
from haumai.bot import conf, intents, retrieval
from haumai.bot.models import BotConversation, BotMode
from haumai.support.models import Message


@dataclass(frozen=True)
class Generated:
    """What the AI gave for this message: an answer with sources, nothing (articles do not answer), or a failure."""

    result: assist.Result | None = None
    failed: bool = False


def prepare(message: Message, understand: Callable[..., Any]) -> Generated | None:
    """The generative answer for a how-to message, or None when the bot would not use one."""
    if not assist_conf.enabled():
        return None
    text = message.body_text or ""
    if not text.strip() or len(text) >= conf.long_message_chars():
        return None
    conversation = (
        BotConversation.objects.filter(ticket_id=message.ticket_id).only("mode", "pending", "language").first()
    )
    if conversation is not None and (conversation.mode != BotMode.BOT or conversation.pending):
        return None
    reading, guess = understand(text, default_language=getattr(conversation, "language", "") or "vi")
    if guess.confident and guess.intent != intents.HOW_TO:
        return None
    hits = retrieval.find_articles(reading.folded, language=reading.language, limit=3)
    if not retrieval.confident(hits):
        return None
    good = [h.article_id for h in hits if h.score >= retrieval.MIN_SCORE]
    ticket_code = message.ticket.code
    try:
        result = assist.bot_answer(
            question=reading.original,
            article_ids=good,
            language=reading.language,
            subject=ticket_code,
            customer=message.ticket.customer,
        )
    except assist.AssistUnavailable:
        return Generated(failed=True)
    return Generated(result=result)
