"""Timeline sentences of returns (return.*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import amount, label, said, url, value
from haumai.returns.models import Disposition, Reason, Resolution

# Events that only say "the return reached this state": sentence, icon, tone.
STATE_SENTENCES: dict[str, tuple[Any, str, str]] = {
    "return.approved": (gettext_lazy("Return %(code)s was approved"), "circle-check", "success"),
    "return.rejected": (gettext_lazy("Return %(code)s was rejected"), "circle-x", "danger"),
    "return.pickup_booked": (gettext_lazy("Pickup booked for return %(code)s"), "calendar-clock", "info"),
    "return.dropoff_ready": (
        gettext_lazy("Return %(code)s is waiting for the customer to drop it off"), "store", "info"
    ),
    "return.picked_up": (gettext_lazy("The parcel of return %(code)s was picked up"), "truck", "info"),
    "return.arrived": (gettext_lazy("The parcel of return %(code)s arrived at the warehouse"), "warehouse", "info"),
    "return.received": (gettext_lazy("Return %(code)s was received at the warehouse"), "package-open", "info"),
    "return.inspected": (gettext_lazy("Return %(code)s was inspected"), "search-check", "info"),
    "return.refunded": (gettext_lazy("Return %(code)s was refunded"), "banknote", "success"),
    "return.exchanged": (gettext_lazy("Return %(code)s was exchanged"), "repeat", "success"),
    "return.replacement_shipped": (
        gettext_lazy("The replacement for return %(code)s left with the carrier"), "truck", "info"
    ),
    "return.replacement_delivered": (
        gettext_lazy("The replacement for return %(code)s was delivered"), "package-check", "success"
    ),
    "return.repaired": (gettext_lazy("Return %(code)s was repaired"), "wrench", "success"),
    "return.store_credited": (
        gettext_lazy("Store credit issued for return %(code)s"), "wallet", "success"
    ),
    "return.returned_to_customer": (
        gettext_lazy("Return %(code)s was sent back to the customer"), "undo-2", "warning"
    ),
    "return.closed": (gettext_lazy("Return %(code)s was closed"), "archive", "neutral"),
    "return.cancelled": (gettext_lazy("Return %(code)s was cancelled"), "ban", "warning"),
}


def _code(event: Any) -> str:
    return value(event, "return_code") or _("(no code)")


def _entry(event: Any, text: str, *, icon: str, tone: str = "neutral") -> TimelineEntry:
    code = value(event, "return_code")
    return said(text, icon=icon, tone=tone, url=url("returns:detail", code), link_text=code)


def requested(event: Any) -> TimelineEntry:
    lines = event.payload.get("lines") if isinstance(event.payload, dict) else None
    count = sum(int(line.get("quantity") or 0) for line in lines or [] if isinstance(line, dict))
    subject = {"code": _code(event)}
    if value(event, "origin") == "portal":
        text = _("The customer asked to return %(code)s") % subject
    else:
        text = _("Return %(code)s was opened") % subject
    if count:
        # Two msgids, not ngettext: the TSV catalogue holds one string per msgid (Vietnamese has no plural).
        text += " — " + (_("1 item") if count == 1 else _("%(count)d items") % {"count": count})
    reason = label(Reason, value(event, "reason"))
    if reason:
        text += " · " + reason
    return _entry(event, text, icon="undo-2", tone="info")


def refund_requested(event: Any) -> TimelineEntry:
    money = amount(event)
    params = {"code": _code(event), "amount": money}
    text = (
        _("Refund of %(amount)s requested for return %(code)s") % params
        if money
        else _("Refund requested for return %(code)s") % params
    )
    if event.payload.get("early") if isinstance(event.payload, dict) else False:
        text += " " + _("(early refund for a trusted customer)")
    return _entry(event, text, icon="coins", tone="info")


def line_inspected(event: Any) -> TimelineEntry:
    params = {
        "code": _code(event),
        "sku": value(event, "sku") or "—",
        "grade": value(event, "grade") or "—",
        "disposition": label(Disposition, value(event, "disposition")) or "—",
    }
    text = _("Return %(code)s: %(sku)s graded %(grade)s — %(disposition)s") % params
    return _entry(event, text, icon="clipboard-check")


def missing_items_given_up(event: Any) -> TimelineEntry:
    text = _("Return %(code)s: stopped waiting for the missing items") % {"code": _code(event)}
    return _entry(event, text, icon="circle-x", tone="warning")


def _state_sentence(name: str) -> Callable[[Any], TimelineEntry]:
    template, icon, tone = STATE_SENTENCES[name]

    def describe(event: Any) -> TimelineEntry:
        text = str(template) % {"code": _code(event)}
        resolution = label(Resolution, value(event, "resolution")) if name == "return.refunded" else ""
        if resolution:
            text += f" · {resolution}"
        return _entry(event, text, icon=icon, tone=tone)

    return describe


for _name in STATE_SENTENCES:
    register_sentence(_name, _state_sentence(_name))
register_sentence("return.requested", requested)
register_sentence("return.refund_requested", refund_requested)
register_sentence("return.line_inspected", line_inspected)
register_sentence("return.missing_items_given_up", missing_items_given_up)
