"""Tickets the bot answered in full are solved by the scheduler, so they do not wait in the inbox for nobody.

After a turn that answered (an article, an order status, a booking, a fix that worked), the conversation gets
`solve_due_at`: now when the customer thanked the bot, else after `HAUMAI_BOT_SOLVE_AFTER_HOURS` (24) of quiet.
A question the bot asks, a message it did not understand, a hand-over or a person taking the ticket cancel it.
The scheduler claims due conversations (`SKIP LOCKED`) and asks support to solve the ticket, which declines
when a person took it or the customer wrote after the answered message, and never waits for the ticket's lock
(a reply being stored now: the solve is tried again a minute later, and then sees the reply). The customer's
next message reopens the ticket by support's rule, and the bot answers again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet

from haumai.bot import conf
from haumai.bot.answers import Reply
from haumai.bot.models import BotConversation, BotMode, SolveReason, TurnOutcome
from haumai.core import clock
from haumai.events.services import record_event
from haumai.support.services.automated import BUSY, SOLVED, solve_answered_ticket

SOURCE = "bot.solve_answered"
RETRY_BUSY = dt.timedelta(minutes=1)


def plan_solve(conversation: BotConversation, reply: Reply, *, thanked: bool, message_at: dt.datetime) -> None:
    """Set or cancel the automatic solve after one turn (the caller saves the conversation)."""
    hours = conf.solve_after_hours()
    answered = reply.outcome in (TurnOutcome.ANSWERED, TurnOutcome.DONE) and bool(reply.tried)
    if hours <= 0 or reply.outcome in (TurnOutcome.ASKED, TurnOutcome.NOT_UNDERSTOOD):
        cancel_solve(conversation)
        return
    if not answered and conversation.solve_due_at is None:
        return  # a greeting or a thank-you before anything was answered: nothing to solve
    now = clock.now()
    conversation.answered_message_at = message_at
    if thanked:
        conversation.solve_due_at, conversation.solve_reason = now, SolveReason.THANKED
    else:
        conversation.solve_due_at = now + dt.timedelta(hours=hours)
        conversation.solve_reason = SolveReason.QUIET


def cancel_solve(conversation: BotConversation) -> None:
    """No automatic solve (the caller saves the conversation)."""
    conversation.solve_due_at, conversation.solve_reason = None, ""


def due_solves() -> QuerySet[BotConversation]:
    """Conversations whose ticket the scheduler may solve (it adds `solve_due_at <= now`)."""
    return BotConversation.objects.filter(solve_due_at__isnull=False)


def handle_due(rows: Sequence[BotConversation]) -> None:
    """Scheduler handler: solve each claimed conversation's ticket, or move it out of the due set."""
    for conversation in rows:
        solve_due(conversation)


def solve_due(conversation: BotConversation) -> str:
    """Try to solve one claimed conversation's ticket; "solved", "declined" or "busy" (retried a minute later)."""
    now = clock.now()
    if conversation.mode != BotMode.BOT or conversation.answered_message_at is None:
        outcome = "declined"
    else:
        outcome = solve_answered_ticket(
            ticket_id=conversation.ticket_id, answered_message_at=conversation.answered_message_at, actor_label="bot"
        )
    reason = conversation.solve_reason
    if outcome == BUSY:
        conversation.solve_due_at = now + RETRY_BUSY
    else:
        cancel_solve(conversation)
    if outcome == SOLVED:
        conversation.solved_at = now
    conversation.updated_at = now
    conversation.save(update_fields=["solve_due_at", "solve_reason", "solved_at", "updated_at"])
    if outcome == SOLVED:
        ticket = conversation.ticket
        record_event(
            name="bot.ticket_solved",
            customer=ticket.customer,
            subject=ticket,
            actor_label="bot",
            payload={"code": ticket.code, "reason": reason, "hours": conf.solve_after_hours()},
        )
    return outcome
