"""Timeline sentences of shipments (shipment.*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import said, url, value
from haumai.shipping.statuses import ShipmentStatus

# How staff name the seeded carriers in a sentence (the Carrier rows hold the long names).
CARRIER_NAMES: dict[str, Any] = {
    "ghn": "GHN",
    "ghtk": "GHTK",
    "viettel_post": "Viettel Post",
    "jt": "J&T Express",
    "ninjavan": "Ninja Van",
    "own_fleet": gettext_lazy("our staff"),
    "store_dropoff": gettext_lazy("store drop-off"),
}

# shipment.<status> written when the carrier (or staff) moves a shipment there.
STATUS_SENTENCES: dict[str, tuple[Any, str, str]] = {
    ShipmentStatus.PICKED_UP: (gettext_lazy("Shipment %(code)s was picked up"), "package", "info"),
    ShipmentStatus.IN_TRANSIT: (gettext_lazy("Shipment %(code)s is on its way"), "truck", "info"),
    ShipmentStatus.OUT_FOR_DELIVERY: (gettext_lazy("Shipment %(code)s is out for delivery"), "truck", "info"),
    ShipmentStatus.DELIVERED: (gettext_lazy("Shipment %(code)s was delivered"), "package-check", "success"),
    ShipmentStatus.FAILED: (gettext_lazy("Delivery of shipment %(code)s failed"), "circle-alert", "danger"),
    ShipmentStatus.RETURNED: (gettext_lazy("Shipment %(code)s was returned to the sender"), "undo-2", "warning"),
    ShipmentStatus.CANCELLED: (gettext_lazy("Shipment %(code)s was cancelled"), "ban", "warning"),
    ShipmentStatus.LOST: (gettext_lazy("Shipment %(code)s was lost"), "circle-alert", "danger"),
    ShipmentStatus.CREATED: (gettext_lazy("Shipment %(code)s was created"), "package-plus", "neutral"),
    ShipmentStatus.PICKUP_SCHEDULED: (gettext_lazy("Pickup scheduled for shipment %(code)s"), "calendar-clock", "info"),
}


def carrier_name(code: str) -> str:
    """A carrier as staff call it ('GHN', 'Viettel Post'); an unknown code in capitals."""
    name = CARRIER_NAMES.get(code)
    return str(name) if name is not None else code.replace("_", " ").upper()


def _code(event: Any) -> str:
    return value(event, "shipment_code") or _("(no code)")


def _entry(event: Any, text: str, *, icon: str, tone: str = "neutral") -> TimelineEntry:
    code = value(event, "shipment_code")
    return said(text, icon=icon, tone=tone, url=url("shipping:detail", code), link_text=code)


def _with_carrier(event: Any, text: str) -> str:
    carrier = value(event, "carrier")
    return f"{text} · {carrier_name(carrier)}" if carrier else text


def created(event: Any) -> TimelineEntry:
    if value(event, "direction") == "reverse":
        text = _("Return shipment %(code)s was created") % {"code": _code(event)}
    else:
        text = _("Shipment %(code)s was created") % {"code": _code(event)}
    return _entry(event, _with_carrier(event, text), icon="package")


def booked(event: Any) -> TimelineEntry:
    tracking = value(event, "tracking_code")
    params = {"code": _code(event), "tracking": tracking}
    text = (
        _("Shipment %(code)s was booked, tracking code %(tracking)s") % params
        if tracking
        else _("Shipment %(code)s was booked") % params
    )
    return _entry(event, _with_carrier(event, text), icon="calendar-check", tone="info")


def booking_failed(event: Any) -> TimelineEntry:
    text = _("Booking shipment %(code)s with the carrier failed") % {"code": _code(event)}
    return _entry(event, _with_carrier(event, text), icon="circle-alert", tone="danger")


def booking_retried(event: Any) -> TimelineEntry:
    text = _("Booking of shipment %(code)s will be tried again") % {"code": _code(event)}
    return _entry(event, text, icon="refresh-cw")


def delayed(event: Any) -> TimelineEntry:
    text = _("Shipment %(code)s has had no carrier news for too long") % {"code": _code(event)}
    return _entry(event, text, icon="alarm-clock", tone="warning")


def late(event: Any) -> TimelineEntry:
    text = _("Shipment %(code)s is later than the delivery date promised to the customer") % {"code": _code(event)}
    return _entry(event, text, icon="alarm-clock", tone="warning")


# The care events of deliveries (services/care.py): what the team follows up.
CARE_SENTENCES: dict[str, tuple[Any, str]] = {
    "late": (gettext_lazy("Delivery %(code)s is late against the promised date: follow-up started"), "alarm-clock"),
    "stuck": (gettext_lazy("Delivery %(code)s has no carrier news: follow-up started"), "alarm-clock"),
    "failed": (gettext_lazy("Delivery %(code)s failed an attempt: follow-up started"), "circle-alert"),
    "returned": (gettext_lazy("Delivery %(code)s went back to the sender: follow-up started"), "undo-2"),
}


def _care_sentence(problem: str) -> Callable[[Any], TimelineEntry]:
    template, icon = CARE_SENTENCES[problem]

    def describe(event: Any) -> TimelineEntry:
        return _entry(event, _with_carrier(event, str(template) % {"code": _code(event)}), icon=icon, tone="warning")

    return describe


def redelivery_booked(event: Any) -> TimelineEntry:
    text = _("Re-delivery %(code)s was booked for failed delivery %(first)s") % {
        "code": _code(event),
        "first": value(event, "redelivery_of") or _("(no code)"),
    }
    return _entry(event, _with_carrier(event, text), icon="refresh-cw", tone="info")


def _status_sentence(status: str) -> Callable[[Any], TimelineEntry]:
    template, icon, tone = STATUS_SENTENCES[status]

    def describe(event: Any) -> TimelineEntry:
        return _entry(event, str(template) % {"code": _code(event)}, icon=icon, tone=tone)

    return describe


for _status in ShipmentStatus.values:
    if _status != ShipmentStatus.CREATED:
        register_sentence(f"shipment.{_status}", _status_sentence(_status))
register_sentence("shipment.created", created)
register_sentence("shipment.booked", booked)
register_sentence("shipment.booking_failed", booking_failed)
register_sentence("shipment.booking_retried", booking_retried)
register_sentence("shipment.delayed", delayed)
register_sentence("shipment.late", late)
for _problem in CARE_SENTENCES:
    register_sentence(f"delivery.{_problem}", _care_sentence(_problem))
register_sentence("delivery.redelivery_booked", redelivery_booked)
