"""Personal data held by the bot (haumai.privacy): the question it waits on may hold a phone number or an
order code the customer typed, and the conversation may point at the customer they proved to be. Message
texts stay in support (declared there). Turns hold no text, only the intent, outcome and timing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from haumai.bot.models import BotConversation
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows


def _mine(person: Person) -> Q:
    return Q(ticket__customer=person.customer) | Q(verified_customer=person.customer)


def export(person: Person) -> ExportPart:
    """The bot's state of the person's conversations."""
    return ExportPart(
        tables={
            "bot.botconversation": rows(
                BotConversation.objects.filter(_mine(person)).order_by("id"),
                ("ticket__code", "mode", "language", "intent_history", "pending", "pending_data", "tried",
                 "handover_reason", "handed_over_at", "created_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear what the customer typed into the pending question and the actions list; unlink the proof."""
    mine = BotConversation.objects.filter(_mine(person))
    cleared = mine.update(pending="", pending_data={}, tried=[])
    BotConversation.objects.filter(verified_customer=person.customer).update(verified_customer=None,
                                                                             verified_order=None)
    return {"bot.botconversation": cleared}


register(
    PersonalDataSource(
        app="bot",
        models=(
            PersonalModel(
                "bot.BotConversation",
                ("pending_data", "tried", "verified_customer", "verified_order"),
                legal_hold="the hand-over figures: kept with the typed data cleared",
                handling="exported; typed phone/order codes and the proof cleared",
            ),
        ),
        not_personal={
            "bot.BotConversation": ("intent_history", "last_intent", "pending", "language", "handover_reason",
                                    "solve_reason", "answered_message_at"),
            "bot.BotTurn": ("intent", "article_slug", "language", "outcome"),
        },
        export=export,
        anonymize=anonymize,
    )
)
