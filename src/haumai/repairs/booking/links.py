"""Signed, expiring links to one appointment (sent in confirmations and reminders; no login needed)."""

from __future__ import annotations

import datetime as dt

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
