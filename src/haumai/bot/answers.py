"""The real tasks the bot does for an identified customer, each a short answer in the customer's language.

Reads go through the owning apps' selectors (sales, shipping, returns, warranty, booking centres and
slots); the one write, booking an appointment, through the booking service. A customer only ever sees
their own orders, returns and appointments: the caller passes the customer the conversation is proven to be.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.messaging import conf as messaging_conf
from haumai.repairs.booking import selectors as booking
from haumai.repairs.booking import services as booking_services
from haumai.repairs.booking import slots as booking_slots
from haumai.repairs.models import BookingOrigin
from haumai.returns import selectors as returns
from haumai.sales import selectors as sales
from haumai.shipping import selectors as shipping
from haumai.warranty import selectors as warranty

SLOTS_OFFERED = 3
SLOT_DAYS = 14
CENTRES_LISTED = 5
WEEKDAYS = {"vi": ["T2", "T3", "T4", "T5", "T6", "T7", "CN"], "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}


@dataclass
class Reply:
    """What the bot says and what it leaves behind."""

    text: str
    outcome: str = "answered"
    tried: str = ""
    article_slug: str = ""
    pending: str = ""
    pending_data: dict[str, Any] = field(default_factory=dict)
    handover: str = ""


def public_link(path: str) -> str:
    """An absolute link for a customer (HAUMAI_PUBLIC_URL + path)."""
    return f"{messaging_conf.public_base_url()}{path}"


def _day(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")


def recent_orders(customer: Any, limit: int = 3) -> list[Any]:
    """The customer's newest orders."""
    return sales.order_list(customer_code=customer.code, limit=limit)[:limit]


def own_order(customer: Any, code: str) -> Any | None:
    """The customer's order with this code, or None (someone else's is 'not found' too)."""
    found = [o for o in sales.order_list(customer_code=customer.code, limit=50) if o.code == code]
    return found[0] if found else None


def _delivery_sentence(order: Any) -> str:
    parcels = shipping.deliveries_of_order(order.code)
    if not parcels:
        return ""
    parcel = parcels[-1]
    text = _("Parcel %(code)s with %(carrier)s: %(status)s") % {
        "code": parcel.tracking_code or parcel.code, "carrier": parcel.carrier.name,
        "status": parcel.get_status_display(),
    }
    events = getattr(parcel, "applied_events", [])
    if events:
        text += " (" + _("last update %(day)s") % {"day": _day(events[0].occurred_at)} + ")"
    return text


def order_status(customer: Any, code: str = "") -> Reply:
    """The status and delivery of one order (given) or the newest ones."""
    if code:
        order = own_order(customer, code)
        if order is None:
            return Reply(_("I cannot find order %(code)s among your orders. Please check the code.") % {"code": code},
                         outcome="not_understood", tried=f"order {code} not found")
        orders = [order]
    else:
        orders = recent_orders(customer)
    if not orders:
        return Reply(_("You have no orders with us yet."), tried="no orders")
    lines = []
    for order in orders:
        line = _("Order %(code)s of %(day)s: %(status)s") % {
            "code": order.code, "day": _day(order.placed_at), "status": order.get_status_display()}
        if order.delivered_at:
            line += ", " + _("delivered on %(day)s") % {"day": _day(order.delivered_at)}
        delivery = _delivery_sentence(order)
        if delivery and not order.delivered_at:
            line += ". " + delivery
        lines.append("• " + line)
    link = public_link(reverse("portal:orders"))
    text = "\n".join(lines) + "\n" + _("Details: %(link)s") % {"link": link}
    return Reply(text, outcome="done", tried="showed order status " + ", ".join(o.code for o in orders))


def return_status(customer: Any, code: str = "") -> Reply:
    """The state of the customer's returns (one by code, or the newest three)."""
    rows = list(returns.my_returns(customer)[:20])
    if code:
        rows = [r for r in rows if r.code == code]
        if not rows:
            return Reply(_("I cannot find return %(code)s among your returns.") % {"code": code},
                         outcome="not_understood", tried=f"return {code} not found")
    rows = rows[:3]
    if not rows:
        return Reply(_("You have no return requests. To start one, tell me the order code."), tried="no returns")
    lines = []
    for row in rows:
        link = public_link(reverse("portal:return_detail", args=[row.code]))
        lines.append("• " + _("Return %(code)s (order %(order)s): %(status)s — %(link)s") % {
            "code": row.code, "order": row.order.code if row.order is not None else "",
            "status": row.get_status_display(), "link": link,
        })
    return Reply("\n".join(lines), outcome="done", tried="showed return status " + ", ".join(r.code for r in rows))


def start_return(customer: Any, code: str = "") -> Reply:
    """A link to the portal's return form with the order filled in."""
    order = own_order(customer, code) if code else None
    if order is None:
        candidates = [o for o in recent_orders(customer, 5) if o.status in ("delivered", "completed")]
        order = candidates[0] if candidates else None
    if order is None:
        return Reply(_("I found no delivered order to return. Tell me the order code, or ask for a person."),
                     outcome="not_understood", tried="no delivered order to return")
    link = public_link(reverse("portal:new_return", args=[order.code]))
    text = _("You can request a return for order %(code)s here (sign in with your phone number): %(link)s") % {
        "code": order.code, "link": link}
    return Reply(text, outcome="done", tried=f"sent the return form for {order.code}")


def warranty_by_serial(serial: str) -> Reply:
    """The public warranty answer for a serial/IMEI (never the owner)."""
    found = warranty.public_by_serial(serial)
    if not found:
        return Reply(_("I found no warranty for serial %(serial)s. Please check the number on the box or the "
                       "back of the device.") % {"serial": serial}, outcome="not_understood",
                     tried=f"warranty {serial} not found")
    first = found[0]
    return Reply(f"{first.product} ({first.serial}): {first.sentence}", outcome="done",
                 tried=f"looked up warranty {first.serial}")


def warranties_of(customer: Any) -> Reply:
    """The identified customer's warranties (three newest)."""
    rows = warranty.customer_warranties(customer, limit=3)
    if not rows:
        return Reply(_("Please send me the serial or IMEI number of the device."), outcome="asked",
                     pending="ask_serial")
    lines = ["• " + f"{a.product} ({a.serial}): {a.sentence}" for a in (warranty.answer(row) for row in rows)]
    return Reply("\n".join(lines) + "\n" + _("For another device, send me its serial or IMEI number."),
                 outcome="done", pending="ask_serial", tried="showed the customer's warranties")


def _centres(text: str = "") -> list[Any]:
    rows = list(booking.center_list(bookable_only=True)[:50])
    if text:
        from haumai.core.text import search_key

        folded = f" {search_key(text)} "
        chosen = [c for c in rows if f" {search_key(c.province)} " in folded or f" {search_key(c.name)} " in folded]
        return chosen or rows
    return rows


def _hours(centre: Any, language: str) -> str:
    names = WEEKDAYS["en" if language == "en" else "vi"]
    by_day: dict[int, list[str]] = {}
    for row in centre.opening_hours.all():
        by_day.setdefault(row.weekday, []).append(f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}")
    if not by_day:
        return _("hours not published")
    groups: list[tuple[list[int], str]] = []
    for day in sorted(by_day):
        label = ", ".join(by_day[day])
        if groups and groups[-1][1] == label and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], label))
    parts = [(names[d[0]] if len(d) == 1 else f"{names[d[0]]}–{names[d[-1]]}") + f" {label}" for d, label in groups]
    return "; ".join(parts)


def centre_hours(text: str, language: str) -> Reply:
    """Service centres with their address, phone and opening hours."""
    rows = _centres(text)[:CENTRES_LISTED]
    if not rows:
        return Reply(_("I have no service centre to show yet; a person will answer you."), handover="rule")
    lines = []
    for centre in rows:
        line = f"• {centre.name}: {centre.address or centre.province}"
        if centre.phone:
            line += f", ☎ {centre.phone}"
        lines.append(line + f" — {_hours(centre, language)}")
    note = _("Closed on public holidays, including Tết.")
    return Reply("\n".join(lines) + "\n" + note, outcome="done", tried="listed service centres")


def _slot_label(centre: Any, starts_at: dt.datetime, language: str) -> str:
    local = starts_at.astimezone(ZoneInfo(centre.time_zone))
    names = WEEKDAYS["en" if language == "en" else "vi"]
    return f"{names[local.weekday()]} {local:%d/%m %H:%M}"


def offer_slots(customer: Any, text: str, language: str, *, centre_code: str = "") -> Reply:
    """The next free slots at a centre (the one named, else the first bookable one), numbered to choose."""
    centres = _centres(text)
    if centre_code:
        centres = [c for c in centres if c.code == centre_code] or centres
    if not centres:
        return Reply(_("Booking is not open yet; a person will help you."), handover="rule")
    centre = centres[0]
    today = clock.now().astimezone(ZoneInfo(centre.time_zone)).date()
    days = [today + dt.timedelta(days=n) for n in range(SLOT_DAYS)]
    free = [s for s in booking_slots.slots_for_days([centre], days).get(centre.pk, []) if s.is_free][:SLOTS_OFFERED]
    if not free:
        return Reply(_("%(centre)s has no free slot in the next two weeks; a person will help you.")
                     % {"centre": centre.name}, handover="rule", tried=f"no free slot at {centre.name}")
    options = "\n".join(f"{n}. {_slot_label(centre, s.starts_at, language)}" for n, s in enumerate(free, 1))
    others = ""
    if len(centres) > 1:
        others = "\n" + _("Other centres: %(names)s (name one to see its slots).") % {
            "names": ", ".join(c.province or c.name for c in centres[1:4])}
    text_out = _("Next free slots at %(centre)s (%(address)s):") % {"centre": centre.name,
                                                                      "address": centre.address or centre.province}
    text_out += "\n" + options + "\n" + _("Reply with the number of the slot you want.") + others
    return Reply(text_out, outcome="asked", pending="choose_slot", tried=f"offered slots at {centre.name}",
                 pending_data={"centre": centre.code, "slots": [s.starts_at.isoformat() for s in free]})


def book_slot(customer: Any, centre_code: str, starts_at: str, *, key: str, language: str) -> Reply:
    """Book the chosen slot for the customer; a slot taken meanwhile offers new ones."""
    try:
        centre = booking.center_by_code(centre_code)
        moment = dt.datetime.fromisoformat(starts_at)
        appointment = booking_services.book_appointment(
            actor=None, customer=customer, center=centre, starts_at=moment, reason=_("Booked through the chat"),
            origin=BookingOrigin.PORTAL, actor_label="bot", idempotency_key=key,
        )
    except (DomainError, ValueError) as exc:
        retry = offer_slots(customer, "", language, centre_code=centre_code)
        retry.text = _("That slot could not be booked (%(reason)s).") % {"reason": str(exc)[:120]} + "\n" + retry.text
        return retry
    text = _("Booked: appointment %(code)s at %(centre)s, %(when)s. Please bring the device and its serial number.") % {
        "code": appointment.code, "centre": centre.name, "when": _slot_label(centre, appointment.starts_at, language)}
    return Reply(text, outcome="done", tried=f"booked appointment {appointment.code}")
