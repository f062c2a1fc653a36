"""Signed, expiring links to one appointment (sent in confirmations and reminders; no login needed), and the
send-time link builders registered with journeys: event payloads reach the timeline and webhook subscribers,
so they carry the appointment code or the schedule id, never a signed link; the message gets `links.appointment`
or `links.booking` when it is prepared."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.urls import reverse

from haumai.core import clock

LINK_SALT = "haumai.repairs.appointment"
# The link works until a day after the appointment (then the portal's sign-in is the way in).
GRACE = dt.timedelta(days=1)


def appointment_token(code: str, ends_at: dt.datetime) -> str:
    """A token naming the appointment and the moment it stops working."""
    until = int((ends_at + GRACE).timestamp())
    return signing.dumps({"a": code, "u": until}, salt=LINK_SALT, compress=True)


def code_from_token(token: str) -> str | None:
    """The appointment code of a valid, unexpired token, else None."""
    try:
        data = signing.loads(token[:400], salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or int(data.get("u", 0)) < clock.now().timestamp():
        return None
    code = data.get("a")
    return code if isinstance(code, str) else None


def appointment_path(code: str, ends_at: dt.datetime) -> str:
    """The portal path of the signed appointment page."""
    return reverse("booking_portal:by_link", args=[appointment_token(code, ends_at)])


def booking_path(token: str) -> str:
    """The portal path that starts a booking from a signed maintenance link."""
    return reverse("booking_portal:from_link", args=[token])


def _absolute(path: str) -> str:
    from haumai.messaging.context import absolute

    return absolute(path)


def appointment_links(event: Any) -> dict[str, str]:
    """Send-time links of an `appointment.*` message: `links.appointment` opens that appointment (it works
    until a day after its current end, so a rescheduled appointment's older messages follow it)."""
    from haumai.repairs.models import Appointment

    code = str((getattr(event, "payload", None) or {}).get("code") or "")
    if not code:
        return {}
    ends_at = Appointment.objects.filter(code=code).values_list("ends_at", flat=True).first()
    if ends_at is None:
        return {}
    return {"appointment": _absolute(appointment_path(code, ends_at))}


def maintenance_links(event: Any) -> dict[str, str]:
    """Send-time links of a `maintenance.due` message: `links.booking` books that schedule's maintenance."""
    from haumai.repairs.booking.maintenance import schedule_token

    schedule_id = (getattr(event, "payload", None) or {}).get("schedule")
    customer_id = getattr(event, "customer_id", None)
    if isinstance(schedule_id, bool) or not isinstance(schedule_id, int) or not isinstance(customer_id, int):
        return {}
    return {"booking": _absolute(booking_path(schedule_token(schedule_id, customer_id)))}


# Every appointment event a journey may send about (the built-ins send booked and reminder_due).
APPOINTMENT_EVENTS = (
    "appointment.booked", "appointment.rescheduled", "appointment.reminder_due", "appointment.cancelled",
    "appointment.checked_in", "appointment.no_show",
)  # fmt: skip


def register() -> None:
    """Register the builders with journeys (called from the booking side's ready())."""
    from haumai.journeys.sending import register_links

    for name in APPOINTMENT_EVENTS:
        register_links(name, appointment_links)
    register_links("maintenance.due", maintenance_links)
