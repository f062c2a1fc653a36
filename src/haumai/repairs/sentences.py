"""Timeline sentences for every repair event (each links to the repair order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def _vnd(value: Any) -> str:
    from haumai.core.money import format_vnd

    try:
        return format_vnd(int(value or 0))
    except (TypeError, ValueError):
        return str(value)


def _url(event: Any) -> str:
    code = (event.payload or {}).get("code", "")
    try:
        return reverse("repairs:detail", args=[code]) if code else ""
    except NoReverseMatch:
        return ""


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Repair %(code)s updated") % {"code": payload.get("code", "")}
        return TimelineEntry(text=text, icon=icon, url=_url(event), tone=tone, link_text=str(payload.get("code", "")))

    return describe


def _c(p: dict[str, Any]) -> dict[str, Any]:
    return {"code": p.get("code", ""), "serial": p.get("serial", ""), "product": p.get("product", "")}


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "repair.received": (
        lambda p: _("%(product)s (serial %(serial)s) received for repair %(code)s") % _c(p),
        "wrench",
        "info",
    ),
    "repair.opened": (
        lambda p: _("Repair %(code)s opened from a warranty claim, waiting for the unit") % _c(p),
        "wrench",
        "info",
    ),
    "repair.assigned": (
        lambda p: _("Repair %(code)s assigned to %(name)s") % {**_c(p), "name": p.get("technician", "")},
        "user-check",
        "neutral",
    ),
    "repair.diagnosis_started": (lambda p: _("Diagnosis of repair %(code)s started") % _c(p), "search", "neutral"),
    "repair.diagnosed": (lambda p: _("Repair %(code)s diagnosed") % _c(p), "clipboard-check", "neutral"),
    "repair.quoted": (
        lambda p: _("Quote for repair %(code)s: %(total)s to pay") % {**_c(p), "total": _vnd(p.get("total"))},
        "receipt",
        "info",
    ),
    "repair.approved": (lambda p: _("Quote for repair %(code)s approved") % _c(p), "circle-check", "success"),
    "repair.declined": (lambda p: _("Quote for repair %(code)s declined") % _c(p), "circle-x", "warning"),
    "repair.parts_awaited": (
        lambda p: _("Repair %(code)s is waiting for parts") % _c(p),
        "hourglass",
        "warning",
    ),
    "repair.resumed": (lambda p: _("Parts arrived: repair %(code)s resumed") % _c(p), "circle-play", "neutral"),
    "repair.started": (lambda p: _("Repair %(code)s started") % _c(p), "hammer", "neutral"),
    "repair.part_used": (
        lambda p: (
            _("Repair %(code)s: %(quantity)s × %(part)s fitted")
            % {**_c(p), "quantity": p.get("quantity", 1), "part": p.get("part", "")}
        ),
        "package-check",
        "neutral",
    ),
    "repair.repaired": (lambda p: _("Repair %(code)s done, in quality check") % _c(p), "clipboard-check", "neutral"),
    "repair.qc_failed": (lambda p: _("Repair %(code)s failed the quality check") % _c(p), "circle-x", "warning"),
    "repair.ready": (lambda p: _("Repair %(code)s is ready for pickup") % _c(p), "package-check", "success"),
    "repair.returned": (
        lambda p: (
            _("Repair %(code)s handed back; warranty extended by %(days)s days") % {**_c(p), "days": p["service_days"]}
            if p.get("service_days")
            else _("Repair %(code)s handed back to the customer") % _c(p)
        ),
        "undo-2",
        "success",
    ),
    "repair.closed": (lambda p: _("Repair %(code)s closed") % _c(p), "check", "neutral"),
    "repair.loan_lent": (
        lambda p: _("Loan device lent for repair %(code)s: %(device)s") % {**_c(p), "device": p.get("device", "")},
        "smartphone",
        "info",
    ),
    "repair.loan_returned": (
        lambda p: _("Loan device of repair %(code)s returned") % _c(p),
        "smartphone",
        "neutral",
    ),
    "repair.outsourced": (
        lambda p: _("Repair %(code)s sent to %(center)s") % {**_c(p), "center": p.get("brand_center", "")},
        "truck",
        "info",
    ),
    "repair.outsource_returned": (
        lambda p: _("Repair %(code)s back from %(center)s") % {**_c(p), "center": p.get("brand_center", "")},
        "truck",
        "neutral",
    ),
    "repair.goodwill_granted": (
        lambda p: _("Goodwill of %(amount)s on the quote of repair %(code)s")
        % {**_c(p), "amount": _vnd(p.get("goodwill"))},
        "gift",
        "info",
    ),
    "repair.goodwill_requested": (
        lambda p: _("Goodwill of %(amount)s on repair %(code)s is above the limit: waiting for a manager")
        % {**_c(p), "amount": _vnd(p.get("goodwill"))},
        "gift",
        "warning",
    ),
    "repair.goodwill_approved": (
        lambda p: _("A manager approved goodwill of %(amount)s on repair %(code)s")
        % {**_c(p), "amount": _vnd(p.get("goodwill"))},
        "gift",
        "success",
    ),
    "repair.goodwill_refused": (
        lambda p: _("A manager refused goodwill of %(amount)s on repair %(code)s")
        % {**_c(p), "amount": _vnd(p.get("goodwill"))},
        "gift",
        "warning",
    ),
    "repair.outsource_return_booked": (
        lambda p: _("Repair %(code)s: the way back from %(center)s is booked (%(shipment)s)")
        % {**_c(p), "center": p.get("brand_center", ""), "shipment": p.get("shipment", "")},
        "truck",
        "info",
    ),
    "repair.outsource_arrived": (
        lambda p: _("Repair %(code)s: the unit arrived at %(center)s") % {**_c(p), "center": p.get("brand_center", "")},
        "truck",
        "info",
    ),
    "repair.outsource_shipment_problem": (
        lambda p: _("Repair %(code)s: the parcel to or from %(center)s has a problem (%(status)s)")
        % {**_c(p), "center": p.get("brand_center", ""), "status": p.get("shipment_status", "")},
        "truck",
        "warning",
    ),
    "repair.replacement_offered": (
        lambda p: _("Repair %(code)s: same defect again, replacement or refund offered") % _c(p),
        "triangle-alert",
        "warning",
    ),
    "repair.replaced_instead": (
        lambda p: (
            _("Repair %(code)s closed: %(resolution)s through return %(return_code)s")
            % {
                **_c(p),
                "resolution": _("replacement") if p.get("resolution") == "replacement" else _("refund"),
                "return_code": p.get("return_code", ""),
            }
        ),
        "rotate-ccw",
        "warning",
    ),
}

for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))

# Service centres, appointments, visits and maintenance register from their own subpackage.
from haumai.repairs.booking import sentences as _booking  # noqa: E402, F401
