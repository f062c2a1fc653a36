"""Timeline sentences for automatic assignment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def reason_label(reason: str) -> str:
    """Why nobody took the ticket, as staff read it."""
    return {"off_shift": _("nobody on shift"), "cap": _("every agent at the load cap"),
            "skills": _("nobody with the skills"), "no_agents": _("no agents in the team")}.get(reason, reason)


def _assigned(p: dict[str, Any]) -> str:
    return _("Ticket %(code)s assigned automatically to %(agent)s (team %(team)s, %(count)s open tickets)") % {
        "code": p.get("code", ""), "agent": p.get("assignee_name") or p.get("assignee", ""),
        "team": p.get("team", ""), "count": p.get("open_tickets", 0)}


def _skipped(p: dict[str, Any]) -> str:
    return _("Ticket %(code)s waits unassigned in the queue of team %(team)s: %(reasons)s") % {
        "code": p.get("code", ""), "team": p.get("team", ""),
        "reasons": ", ".join(reason_label(r) for r in p.get("reasons", []))}


def _rule(p: dict[str, Any]) -> str:
    if p.get("enabled"):
        return _("Automatic assignment turned on for team %(team)s") % {"team": p.get("team", "")}
    return _("Automatic assignment settings of team %(team)s saved (off)") % {"team": p.get("team", "")}


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "ticket.auto_assigned": (_assigned, "user-check", "info"),
    "ticket.auto_assign_skipped": (_skipped, "user-x", "warning"),
    "support.assignment_rule_changed": (_rule, "route", "info"),
}


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        try:
            text = make(dict(event.payload or {}))
        except (KeyError, TypeError, ValueError):
            text = _("Automatic assignment")
        code = str((event.payload or {}).get("code", ""))
        try:
            url = reverse("support:ticket", args=[code]) if code.startswith("TK") else ""
        except NoReverseMatch:
            url = ""
        return TimelineEntry(text=text, icon=icon, tone=tone, url=url, link_text=code if url else "")

    return describe


for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
