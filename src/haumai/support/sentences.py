"""Timeline sentences for the support events (tickets, calls, care scripts, goodwill, channel follows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.support.models import GoodwillKind, TicketChannel


def _url(event: Any) -> str:
    code = (event.payload or {}).get("code", "")
    if not code or not str(code).startswith("TK-"):
        return ""
    try:
        return reverse("support:ticket", args=[code])
    except NoReverseMatch:
        return ""


def _channel(value: Any) -> str:
    return str(TicketChannel(value).label) if value in TicketChannel.values else _("another channel")


def _kind(value: Any) -> str:
    return str(GoodwillKind(value).label) if value in GoodwillKind.values else str(value)


def _amount(value: Any) -> str:
    return f"{int(value or 0):,}".replace(",", ".") + " ₫"


def _linked(payload: dict[str, Any]) -> str:
    values = {"code": payload["code"], "record": payload["record"]}
    if payload.get("kind") == "return":
        return _("Ticket %(code)s linked to return %(record)s") % values
    if payload.get("kind") == "claim":
        return _("Ticket %(code)s linked to warranty claim %(record)s") % values
    return _("Ticket %(code)s linked to repair %(record)s") % values


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str = "neutral") -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Ticket updated")
        return TimelineEntry(text=text, icon=icon, url=_url(event), tone=tone, link_text=str(payload.get("code", "")))

    return describe


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "ticket.created": (
        lambda p: (
            _("Ticket %(code)s opened from %(channel)s") % {"code": p["code"], "channel": _channel(p.get("channel"))}
        ),
        "inbox",
        "info",
    ),
    "ticket.message_received": (
        lambda p: (
            _("New message on ticket %(code)s by %(channel)s")
            % {"code": p["code"], "channel": _channel(p.get("channel"))}
        ),
        "message-circle",
        "neutral",
    ),
    "ticket.replied": (lambda p: _("Agent replied on ticket %(code)s") % {"code": p["code"]}, "reply", "success"),
    "ticket.note_added": (
        lambda p: _("Internal note on ticket %(code)s") % {"code": p["code"]},
        "sticky-note",
        "neutral",
    ),
    "ticket.opened": (
        lambda p: _("Ticket %(code)s is being worked on") % {"code": p["code"]},
        "circle-play",
        "neutral",
    ),
    "ticket.pending": (
        lambda p: _("Ticket %(code)s waits for the customer") % {"code": p["code"]},
        "circle-pause",
        "neutral",
    ),
    "ticket.solved": (lambda p: _("Ticket %(code)s solved") % {"code": p["code"]}, "circle-check", "success"),
    "ticket.closed": (lambda p: _("Ticket %(code)s closed") % {"code": p["code"]}, "check", "neutral"),
    "ticket.reopened": (
        lambda p: _("Ticket %(code)s reopened by the customer's reply") % {"code": p["code"]},
        "rotate-ccw",
        "warning",
    ),
    "ticket.assigned": (
        lambda p: (
            (_("Ticket %(code)s assigned to %(who)s") % {"code": p["code"], "who": p["assignee"]})
            if p.get("assignee")
            else _("Ticket %(code)s unassigned") % {"code": p["code"]}
        ),
        "user-check",
        "neutral",
    ),
    "ticket.priority_changed": (
        lambda p: _("Priority of ticket %(code)s changed") % {"code": p["code"]},
        "arrow-up",
        "neutral",
    ),
    "ticket.tagged": (lambda p: _("Tags of ticket %(code)s changed") % {"code": p["code"]}, "tags", "neutral"),
    "ticket.linked": (lambda p: _linked(p), "inbox", "info"),
    "ticket.merged": (
        lambda p: _("Ticket %(old)s merged into %(code)s") % {"old": p["merged_code"], "code": p["code"]},
        "merge",
        "neutral",
    ),
    "ticket.macro_applied": (
        lambda p: _("Care script used on ticket %(code)s") % {"code": p["code"]},
        "book-open",
        "neutral",
    ),
    "ticket.goodwill_granted": (
        lambda p: (
            _("Goodwill granted on ticket %(code)s: %(kind)s, %(amount)s")
            % {"code": p["code"], "kind": _kind(p["kind"]), "amount": _amount(p["amount"])}
        ),
        "gift",
        "success",
    ),
    "ticket.goodwill_requested": (
        lambda p: (
            _("Goodwill on ticket %(code)s sent to a manager: %(kind)s, %(amount)s")
            % {"code": p["code"], "kind": _kind(p["kind"]), "amount": _amount(p["amount"])}
        ),
        "hand-helping",
        "info",
    ),
    "ticket.goodwill_approved": (
        lambda p: (
            _("Manager approved goodwill on ticket %(code)s: %(kind)s, %(amount)s")
            % {"code": p["code"], "kind": _kind(p["kind"]), "amount": _amount(p["amount"])}
        ),
        "badge-check",
        "success",
    ),
    "ticket.goodwill_refused": (
        lambda p: (
            _("Manager refused goodwill on ticket %(code)s: %(kind)s, %(amount)s")
            % {"code": p["code"], "kind": _kind(p["kind"]), "amount": _amount(p["amount"])}
        ),
        "circle-x",
        "warning",
    ),
    "call.logged": (
        lambda p: (
            (_("Incoming call") if p.get("direction") == "in" else _("Outgoing call"))
            + f" · {int(p.get('duration', 0))} s"
        ),
        "phone-call",
        "neutral",
    ),
    "support.contact_followed": (
        lambda p: _("Started following the shop on %(channel)s") % {"channel": _channel(p.get("channel"))},
        "thumbs-up",
        "success",
    ),
    "support.contact_unfollowed": (
        lambda p: _("Stopped following the shop on %(channel)s") % {"channel": _channel(p.get("channel"))},
        "user-x",
        "warning",
    ),
    "macro.saved": (lambda p: _("Care script %(key)s saved") % {"key": p["key"]}, "book-open", "neutral"),
}

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
