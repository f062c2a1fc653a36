"""Timeline sentences for the SLA events (calendar and policy edits, near-breach and breach)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def clock_label(name: str) -> str:
    """The clock's name as staff read it."""
    return {"first_response": _("First response"), "next_response": _("Next response"),
            "resolution": _("Resolution")}.get(name, _("SLA"))


def business_duration(seconds: int) -> str:
    """'2 h 15 min' of business time."""
    hours, rest = divmod(max(int(seconds), 0) // 60, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        try:
            text = make(dict(event.payload or {}))
        except (KeyError, TypeError, ValueError):
            text = _("SLA settings changed")
        return TimelineEntry(text=text, icon=icon, tone=tone)

    return describe


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "sla.calendar_created": (lambda p: _("Business calendar %(name)s created") % {"name": p.get("calendar", "")},
                             "calendar-clock", "info"),
    "sla.calendar_changed": (lambda p: _("Business calendar %(name)s changed") % {"name": p.get("calendar", "")},
                             "calendar-clock", "info"),
    "sla.policy_created": (lambda p: _("SLA policy %(name)s created") % {"name": p.get("policy", "")},
                           "timer", "info"),
    "sla.policy_changed": (lambda p: _("SLA policy %(name)s changed") % {"name": p.get("policy", "")},
                           "timer", "info"),
    "sla.warning": (lambda p: _("%(clock)s target is close (%(code)s)")
                    % {"clock": clock_label(p.get("clock", "")), "code": p.get("code", "")},
                    "alarm-clock", "warning"),
    "sla.breached": (lambda p: _("%(clock)s target missed by %(late)s of business time (%(code)s)")
                     % {"clock": clock_label(p.get("clock", "")), "code": p.get("code", ""),
                        "late": business_duration(p.get("late_by_business_seconds", 0))},
                     "siren", "danger"),
}

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
