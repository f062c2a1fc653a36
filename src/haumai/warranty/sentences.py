"""Timeline sentences for the warranty events."""

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
    payload = event.payload or {}
    try:
        if event.subject_type == "warranty.claim":
            return reverse("warranty:claim", args=[payload.get("code", "")])
        code = payload.get("code", "")
        return reverse("warranty:detail", args=[code]) if code else ""
    except NoReverseMatch:
        return ""


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Warranty updated")
        return TimelineEntry(text=text, icon=icon, url=_url(event), tone=tone)

    return describe


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "warranty.expiring": (
        lambda p: (
            _("Warranty %(code)s of serial %(serial)s ends on %(day)s: reminder sent")
            % {"code": p.get("code"), "serial": p.get("serial"), "day": _day(p.get("ends_on"))}
        ),
        "shield-check",
        "warning",
    ),
    "warranty.started": (
        lambda p: (
            _("Warranty %(code)s started for serial %(serial)s, until %(day)s")
            % {"code": p.get("code"), "serial": p.get("serial"), "day": _day(p.get("ends_on"))}
        ),
        "shield-check",
        "success",
    ),
    "warranty.registered": (
        lambda p: (
            _("Warranty %(code)s registered for serial %(serial)s, waiting for activation")
            % {"code": p.get("code"), "serial": p.get("serial")}
        ),
        "shield-check",
        "info",
    ),
    "warranty.imported": (
        lambda p: (
            _("Warranty %(code)s imported for serial %(serial)s") % {"code": p.get("code"), "serial": p.get("serial")}
        ),
        "shield-check",
        "neutral",
    ),
    "warranty.activated": (
        lambda p: (
            _("Warranty of serial %(serial)s activated, until %(day)s")
            % {"serial": p.get("serial"), "day": _day(p.get("ends_on"))}
        ),
        "shield-check",
        "success",
    ),
    "warranty.voided": (
        lambda p: (
            _("Warranty %(code)s is void (serial %(serial)s)") % {"code": p.get("code"), "serial": p.get("serial")}
        ),
        "shield-check",
        "warning",
    ),
    "warranty.replaced": (
        lambda p: (
            _("Serial %(serial)s was replaced by %(new)s (new warranty %(replacement)s)")
            % {"serial": p.get("serial"), "new": p.get("new_serial"), "replacement": p.get("replaced_by")}
        ),
        "shield-check",
        "info",
    ),
    "warranty.extended": (
        lambda p: (
            _("Warranty %(code)s extended by %(days)s days, until %(day)s")
            % {"code": p.get("code"), "days": p.get("days"), "day": _day(p.get("ends_on"))}
        ),
        "shield-check",
        "info",
    ),
    "warranty.plan_sold": (
        lambda p: (
            _("Extended plan %(plan)s sold for serial %(serial)s, until %(day)s")
            % {"plan": p.get("plan_code"), "serial": p.get("serial"), "day": _day(p.get("plan_ends_on"))}
        ),
        "shield-check",
        "success",
    ),
    "warranty.plan_cancelled": (
        lambda p: _("Extended plan %(plan)s cancelled") % {"plan": p.get("plan_code")},
        "shield-check",
        "warning",
    ),
    "warranty.claimed": (
        lambda p: (
            _("Warranty claim %(code)s filed for serial %(serial)s")
            % {"code": p.get("code"), "serial": p.get("serial")}
        ),
        "shield-check",
        "info",
    ),
    "warranty.claim_accepted": (
        lambda p: _("Warranty claim %(code)s accepted") % {"code": p.get("code")},
        "shield-check",
        "success",
    ),
    "warranty.claim_rejected": (
        lambda p: _("Warranty claim %(code)s rejected") % {"code": p.get("code")},
        "shield-check",
        "danger",
    ),
    "warranty.claim_in_service": (
        lambda p: _("Warranty claim %(code)s: the unit is in service") % {"code": p.get("code")},
        "wrench",
        "info",
    ),
    "warranty.claim_resolved": (
        lambda p: _("Warranty claim %(code)s resolved") % {"code": p.get("code")},
        "shield-check",
        "success",
    ),
}

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
