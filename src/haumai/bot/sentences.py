"""Timeline sentences for the bot's events (hand-over, a ticket it solved, a customer proven by phone and order
code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def _reason(payload: dict[str, Any]) -> str:
    from haumai.bot.models import HandoverReason

    value = str(payload.get("reason", ""))
    return str(HandoverReason(value).label) if value in HandoverReason.values else value


def _hours(value: Any) -> str:
    number = float(value or 0)
    return str(int(number)) if number == int(number) else f"{number:g}"


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        code = str(payload.get("code", ""))
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Chat bot event")
        try:
            url = reverse("support:ticket", args=[code]) if code else ""
        except NoReverseMatch:
            url = ""
        return TimelineEntry(text=text, icon=icon, url=url, tone=tone, link_text=code)

    return describe


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "bot.handed_over": (
        lambda p: _("The chat bot handed ticket %(code)s over to the team (%(reason)s)")
        % {"code": p["code"], "reason": _reason(p)},
        "bot",
        "warning",
    ),
    "bot.ticket_solved": (
        lambda p: (_("The chat bot solved ticket %(code)s: the customer thanked it") % {"code": p["code"]})
        if p.get("reason") == "thanked"
        else _("The chat bot solved ticket %(code)s: no reply from the customer %(hours)s hours after its answer")
        % {"code": p["code"], "hours": _hours(p.get("hours"))},
        "circle-check",
        "success",
    ),
    "bot.customer_verified": (
        lambda p: _("The customer proved who they are to the chat bot on ticket %(code)s (phone and order %(order)s)")
        % {"code": p["code"], "order": p.get("order", "")},
        "bot",
        "info",
    ),
}

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
