"""Timeline sentences for the booking events (centres, appointments, visits, maintenance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def _day(value: Any) -> str:
    text = str(value or "")
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" if len(text) >= 10 else text


def _url(event: Any) -> str:
    code = (event.payload or {}).get("code", "")
    try:
        if event.name.startswith("appointment.") and code:
            return reverse("booking:appointment", args=[code])
        if event.name.startswith("visit.") and code:
            return reverse("booking:visit", args=[code])
        if event.name.startswith("service_center.") and event.payload.get("code"):
            return reverse("booking:center", args=[event.payload["code"]])
        if event.name.startswith("maintenance."):
            return reverse("booking:maintenance")
        if event.name.startswith("maintenance_plan."):
            return reverse("booking:maintenance_plans")
    except NoReverseMatch:
        return ""
    return ""


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Appointment updated")
        return TimelineEntry(text=text, icon=icon, url=_url(event), tone=tone, link_text=str(payload.get("code", "")))

    return describe


def _p(payload: dict[str, Any], key: str) -> str:
    return str(payload.get(key) or "—")


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "appointment.booked": (
        lambda p: _("Appointment %(code)s booked at %(center)s on %(when)s")
        % {"code": _p(p, "code"), "center": _p(p, "center"), "when": _p(p, "when")},
        "calendar-check", "info",
    ),
    "appointment.rescheduled": (
        lambda p: _("Appointment %(code)s moved from %(previous)s to %(when)s")
        % {"code": _p(p, "code"), "previous": _p(p, "previous"), "when": _p(p, "when")},
        "calendar-clock", "info",
    ),
    "appointment.cancelled": (
        lambda p: _("Appointment %(code)s on %(when)s cancelled") % {"code": _p(p, "code"), "when": _p(p, "when")},
        "calendar-days", "warning",
    ),
    "appointment.checked_in": (
        lambda p: _("Customer checked in for appointment %(code)s at %(center)s")
        % {"code": _p(p, "code"), "center": _p(p, "center")},
        "circle-check", "success",
    ),
    "appointment.no_show": (
        lambda p: _("Customer did not come to appointment %(code)s on %(when)s")
        % {"code": _p(p, "code"), "when": _p(p, "when")},
        "circle-x", "warning",
    ),
    "appointment.reminder_due": (
        lambda p: _("Reminder sent for appointment %(code)s on %(when)s")
        % {"code": _p(p, "code"), "when": _p(p, "when")},
        "bell", "neutral",
    ),
    "visit.scheduled": (
        lambda p: _("On-site visit %(code)s planned for %(window)s")
        % {"code": _p(p, "code"), "window": _p(p, "window")},
        "car", "info",
    ),
    "visit.assigned": (
        lambda p: _("On-site visit %(code)s assigned to %(technician)s")
        % {"code": _p(p, "code"), "technician": _p(p, "technician")},
        "user-check", "info",
    ),
    "visit.completed": (
        lambda p: _("On-site visit %(code)s done: %(outcome)s")
        % {"code": _p(p, "code"), "outcome": _p(p, "outcome_label")},
        "wrench", "success",
    ),
    "visit.cancelled": (
        lambda p: _("On-site visit %(code)s cancelled") % {"code": _p(p, "code")},
        "car", "warning",
    ),
    "maintenance.scheduled": (
        lambda p: _("%(plan)s scheduled for serial %(serial)s, first due %(day)s")
        % {"plan": _p(p, "plan"), "serial": _p(p, "serial"), "day": _day(p.get("due_on")) or "—"},
        "calendar-clock", "neutral",
    ),
    "maintenance.due": (
        lambda p: _("%(plan)s due on %(day)s for serial %(serial)s: reminder sent")
        % {"plan": _p(p, "plan"), "serial": _p(p, "serial"), "day": _day(p.get("due_on")) or "—"},
        "alarm-clock", "info",
    ),
    "maintenance.done": (
        lambda p: _("%(plan)s done for serial %(serial)s; next due %(day)s")
        % {"plan": _p(p, "plan"), "serial": _p(p, "serial"), "day": _day(p.get("next_due_on")) or "—"},
        "clipboard-check", "success",
    ),
    "maintenance_plan.created": (
        lambda p: _("Maintenance plan %(name)s for %(target)s: every %(months)s months")
        % {"name": _p(p, "name"), "target": _p(p, "for"), "months": _p(p, "interval_months")},
        "calendar-plus", "neutral",
    ),
    "maintenance_plan.updated": (
        lambda p: _("Maintenance plan %(name)s changed: every %(months)s months; %(moved)s units rescheduled")
        % {"name": _p(p, "name"), "months": _p(p, "interval_months"), "moved": p.get("schedules_moved", 0)},
        "calendar", "neutral",
    ),
    "maintenance_plan.stopped": (
        lambda p: _("Maintenance plan %(name)s stopped") % {"name": _p(p, "name")}, "calendar-x", "neutral",
    ),
    "maintenance_plan.started": (
        lambda p: _("Maintenance plan %(name)s started again") % {"name": _p(p, "name")}, "calendar-check", "neutral",
    ),
    "service_center.created": (
        lambda p: _("Service centre %(name)s created") % {"name": _p(p, "name")}, "building-2", "neutral",
    ),
    "service_center.updated": (
        lambda p: _("Service centre %(name)s updated") % {"name": _p(p, "name")}, "building-2", "neutral",
    ),
    "service_center.closed_day_added": (
        lambda p: _("Service centre %(name)s closed on %(day)s") % {"name": _p(p, "name"), "day": _day(p.get("date"))},
        "calendar-days", "neutral",
    ),
    "service_center.closed_day_removed": (
        lambda p: _("Service centre %(name)s open again on %(day)s")
        % {"name": _p(p, "name"), "day": _day(p.get("date"))},
        "calendar-days", "neutral",
    ),
}  # fmt: skip

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
