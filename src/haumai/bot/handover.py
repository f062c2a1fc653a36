"""Handing a conversation to the team: the note agents read, and when a person will answer.

The note says who the customer is (and how the bot knows), what they asked (the intents detected), what
the bot already did and the question it was waiting on, then the transcript, so nobody asks twice. When
the team is off shift (its SLA business calendar), the customer is told when a person will answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from haumai.bot.models import BotConversation, HandoverReason
from haumai.core import clock
from haumai.core.phone import mask_phone
from haumai.support.models import Message, Ticket, Visibility
from haumai.support.sla.calendar import CalendarError, iter_intervals
from haumai.support.sla.selectors import calendar_for_team

TRANSCRIPT_MESSAGES = 20
TRANSCRIPT_CHARS = 300
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def next_answer_at(ticket: Ticket, now: dt.datetime | None = None) -> dt.datetime | None:
    """None when the team is on shift now, else the start of its next open interval."""
    moment = now or clock.now()
    try:
        start, _end = next(iter_intervals(calendar_for_team(ticket.team_id), moment))
    except (CalendarError, StopIteration):
        return None
    return None if start <= moment else start


def customer_text(ticket: Ticket, language: str) -> str:
    """What the bot tells the customer when it hands over."""
    with translation.override(language):
        when = next_answer_at(ticket)
        if when is None:
            return _("I have passed our conversation to our team with everything you told me; a person will "
                     "answer you here shortly.")
        local = when.astimezone(ZONE)
        return _("I have passed our conversation to our team with everything you told me. Our team is off "
                 "shift now; a person will answer you here from %(time)s on %(day)s.") % {
            "time": local.strftime("%H:%M"), "day": local.strftime("%d/%m/%Y")}


def _customer_line(conversation: BotConversation, ticket: Ticket, identified: Any) -> str:
    customer = ticket.customer
    if conversation.verified_customer_id and conversation.verified_customer is not None:
        proven = conversation.verified_customer
        known = conversation.verified_order
        order = known.code if known is not None else ""
        return _("Customer: %(name)s (%(code)s), verified by phone and order %(order)s") % {
            "name": proven.full_name, "code": proven.code, "order": order}
    if identified is not None:
        phone = f", {mask_phone(customer.phone)}" if customer.phone else ""
        return _("Customer: %(name)s (%(code)s%(phone)s), known on this channel") % {
            "name": customer.full_name, "code": customer.code, "phone": phone}
    return _("Customer: not identified (contact %(code)s)") % {"code": customer.code}


def note_text(*, conversation: BotConversation, ticket: Ticket, identified: Any, reason: str) -> str:
    """The internal note for agents, in the console's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("The bot handed this conversation over: %(reason)s.") % {"reason": HandoverReason(reason).label},
            _customer_line(conversation, ticket, identified),
        ]
        intents = [i for i in dict.fromkeys(conversation.intent_history) if i != "unknown"]
        lines.append(_("Asked about: %(intents)s") % {"intents": ", ".join(intent_label(i) for i in intents) or "—"})
        if conversation.tried:
            lines.append(_("The bot already: %(tried)s") % {"tried": "; ".join(conversation.tried[-12:])})
        if conversation.pending:
            lines.append(_("Waiting for the customer's answer to: %(question)s")
                         % {"question": pending_label(conversation.pending)})
        lines.append(_("Conversation language: %(language)s") % {"language": conversation.language})
        lines.append("")
        lines.append(_("Transcript (latest %(count)s messages):") % {"count": TRANSCRIPT_MESSAGES})
        rows = list(
            Message.objects.filter(ticket=ticket, visibility=Visibility.PUBLIC)
            .order_by("-sent_at", "-id")
            .values_list("direction", "sender_label", "body_text", "sent_at")[:TRANSCRIPT_MESSAGES]
        )
        for direction, sender, body, sent_at in reversed(rows):
            who = _("Customer") if direction == "in" else (sender or _("Bot"))
            text = " ".join((body or "").split())
            if len(text) > TRANSCRIPT_CHARS:
                text = text[:TRANSCRIPT_CHARS] + "…"
            lines.append(f"[{sent_at.astimezone(ZONE):%H:%M}] {who}: {text}")
    return "\n".join(lines)


def intent_label(intent: str) -> str:
    """An intent in words."""
    return str(INTENT_LABELS.get(intent, intent))


def pending_label(pending: str) -> str:
    """The question the bot waits on, in words."""
    return str(PENDING_LABELS.get(pending, pending))


INTENT_LABELS: dict[str, Any] = {}
PENDING_LABELS: dict[str, Any] = {}


def _labels() -> None:
    from django.utils.translation import gettext_lazy

    INTENT_LABELS.update({
        "greeting": gettext_lazy("Greeting"), "order_status": gettext_lazy("Order and delivery status"),
        "return_status": gettext_lazy("Return status"), "start_return": gettext_lazy("Start a return"),
        "warranty_lookup": gettext_lazy("Warranty lookup"), "book_repair": gettext_lazy("Book a repair"),
        "centre_hours": gettext_lazy("Service centre hours and addresses"), "how_to": gettext_lazy("How-to question"),
        "human": gettext_lazy("Talk to a person"), "thanks_bye": gettext_lazy("Thanks or goodbye"),
        "unknown": gettext_lazy("Not understood"),
    })
    PENDING_LABELS.update({
        "identify": gettext_lazy("phone number and order code"), "choose_slot": gettext_lazy("choice of a slot"),
        "ask_serial": gettext_lazy("serial or IMEI number"),
        "troubleshoot": gettext_lazy("a question of a troubleshooting guide"),
        "troubleshoot_fix": gettext_lazy("whether the suggested fix worked"),
    })


_labels()
