"""One timeline for every console page: events as sentences, grouped by day in Vietnam's time zone.

Pages load a page of events (with `actor` selected) and call `build_timeline`; the include template
`console/_timeline.html` renders the result. Each app says its events in its own `sentences.py`
(`core.registry.register_sentence`); describing runs no query (sentences read the payload).

Raw payloads sit behind a "details" toggle for staff who may read the event log and see personal data
(`events.view_event` and `customers.view_customer_pii`): payloads hold serials, amounts and order codes,
so a role that sees masked customer data (warehouse) reads the sentence only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.registry import TimelineEntry, sentence_for
from haumai.events.models import Event
from haumai.events.sentences import unknown
from haumai.shipping.sentences import carrier_name

logger = logging.getLogger(__name__)

LOCAL_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Written beside a more specific event in the same transaction (order.status_changed + order.<status>):
# saying both would tell staff the same thing twice.
REDUNDANT_EVENTS = ("order.status_changed",)
PAYLOAD_PERMISSIONS = ("events.view_event", "customers.view_customer_pii")


@dataclass(frozen=True)
class TimelineItem:
    """One event as a line of the timeline."""

    event_id: int
    name: str
    at: dt.datetime  # local time
    entry: TimelineEntry
    actor: str
    before: str = ""  # the sentence around its link
    link: str = ""
    after: str = ""
    payload: str = ""  # pretty JSON, only for staff allowed to see it


@dataclass
class TimelineDay:
    """The events of one calendar day in Vietnam."""

    day: dt.date
    label: str
    items: list[TimelineItem] = field(default_factory=list)


def readable(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events worth a line on a timeline (drops the ones another event already says)."""
    return events.exclude(name__in=REDUNDANT_EVENTS)


def can_see_payload(user: Any) -> bool:
    """Whether this user gets the raw payload behind the "details" toggle."""
    return bool(getattr(user, "is_authenticated", False)) and all(user.has_perm(p) for p in PAYLOAD_PERMISSIONS)


def describe(event: Event) -> TimelineEntry:
    """The registered sentence of an event; a generic one if none is registered or it fails."""
    sentence = sentence_for(event.name)
    if sentence is None:
        return unknown(event)
    try:
        return sentence.describe(event)
    except Exception:  # a bad payload must not take the page down
        logger.exception("timeline: could not describe event %s (%s)", event.pk, event.name)
        return unknown(event)


def actor_name(event: Event) -> str:
    """Who did it, as staff read it: a person's name, or Customer / System / API / Data import / a carrier."""
    if event.actor_id and Event.actor.is_cached(event) and event.actor is not None:
        user = event.actor
        return user.get_full_name() or user.get_username()
    raw = (event.actor_label or "").strip()
    if raw in ("", "system"):
        return _("System")
    if raw == "customer":
        return _("Customer")
    if raw == "import":
        return _("Data import")
    if raw.startswith("api:") or raw == "api":
        return _("API")
    if raw.startswith("carrier:"):
        return _("Carrier %(name)s") % {"name": carrier_name(raw.partition(":")[2])}
    return raw


def build_timeline(events: Iterable[Event], *, user: Any, customer: Any = None) -> list[TimelineDay]:
    """Turn events (in the order given) into days of readable lines.

    `customer`, when the page is about one customer, is set on the events of that customer so their
    sentences can link to the customer 360 without loading it again.
    """
    show_payload = can_see_payload(user)
    today = clock.now().astimezone(LOCAL_ZONE).date()
    days: list[TimelineDay] = []
    for event in events:
        if customer is not None and event.customer_id == customer.pk:
            event.customer = customer
        entry = describe(event)
        at = event.occurred_at.astimezone(LOCAL_ZONE)
        if not days or days[-1].day != at.date():
            days.append(TimelineDay(day=at.date(), label=_day_label(at.date(), today)))
        before, link, after = _split(entry)
        days[-1].items.append(
            TimelineItem(
                event_id=event.pk,
                name=event.name,
                at=at,
                entry=entry,
                actor=actor_name(event),
                before=before,
                link=link,
                after=after,
                payload=_pretty(event.payload) if show_payload else "",
            )
        )
    return days


def _split(entry: TimelineEntry) -> tuple[str, str, str]:
    if not entry.url:
        return entry.text, "", ""
    if entry.link_text and entry.link_text in entry.text:
        before, _sep, after = entry.text.partition(entry.link_text)
        return before, entry.link_text, after
    return "", entry.text, ""


def _day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return _("Today")
    if day == today - dt.timedelta(days=1):
        return _("Yesterday")
    return formats.date_format(day, "l, d/m/Y")


def _pretty(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=str)
