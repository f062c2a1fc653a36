"""Reads for the bot's console report: turns per intent and outcome, hand-overs, what it did not understand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from haumai.bot.models import BotConversation, BotMode, BotTurn, TurnOutcome


@dataclass(frozen=True)
class Summary:
    turns: int
    conversations: int
    handed_over: int
    answered: int
    not_understood: int
    average_ms: float

    @property
    def handover_rate(self) -> float:
        return self.handed_over / self.conversations if self.conversations else 0.0

    @property
    def answered_rate(self) -> float:
        return self.answered / self.turns if self.turns else 0.0


def summary(*, since: dt.datetime) -> Summary:
    """Totals of a period (two queries)."""
    turns = BotTurn.objects.filter(created_at__gte=since).aggregate(
        turns=Count("id"),
        answered=Count("id", filter=Q(outcome__in=[TurnOutcome.ANSWERED, TurnOutcome.DONE])),
        not_understood=Count("id", filter=Q(outcome=TurnOutcome.NOT_UNDERSTOOD)),
        average=Avg("duration_ms"),
    )
    conversations = BotConversation.objects.filter(created_at__gte=since).aggregate(
        total=Count("id"), handed=Count("id", filter=Q(mode=BotMode.HANDED_OVER))
    )
    return Summary(
        turns=turns["turns"], conversations=conversations["total"], handed_over=conversations["handed"],
        answered=turns["answered"], not_understood=turns["not_understood"], average_ms=float(turns["average"] or 0),
    )  # fmt: skip


def intents(*, since: dt.datetime) -> list[dict[str, Any]]:
    """Turns per intent with the mean confidence and how many were not understood, most frequent first."""
    rows = (
        BotTurn.objects.filter(created_at__gte=since)
        .values("intent")
        .annotate(turns=Count("id"), confidence=Avg("confidence"),
                  missed=Count("id", filter=Q(outcome=TurnOutcome.NOT_UNDERSTOOD)))
        .order_by("-turns", "intent")
    )  # fmt: skip
    return list(rows)


def handover_reasons(*, since: dt.datetime) -> list[dict[str, Any]]:
    """Hand-overs per reason."""
    rows = (
        BotConversation.objects.filter(handed_over_at__gte=since)
        .values("handover_reason")
        .annotate(count=Count("id"))
        .order_by("-count", "handover_reason")
    )
    return list(rows)


def recent_handovers(*, since: dt.datetime) -> QuerySet[BotConversation]:
    """Handed-over conversations, newest first, with the ticket and its customer (paginate the result)."""
    return (
        BotConversation.objects.filter(handed_over_at__gte=since)
        .select_related("ticket", "ticket__customer")
        .order_by("-handed_over_at", "-id")
    )


def unanswered(*, since: dt.datetime) -> QuerySet[BotTurn]:
    """Turns the bot did not understand, newest first, with the customer's message (paginate the result)."""
    return (
        BotTurn.objects.filter(created_at__gte=since, outcome=TurnOutcome.NOT_UNDERSTOOD)
        .select_related("message", "conversation__ticket")
        .order_by("-created_at", "-id")
    )
