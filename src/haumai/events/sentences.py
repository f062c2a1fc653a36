"""Helpers the apps' `sentences.py` modules share to say an event as a sentence staff can read.

A sentence is built from the event's name, payload and (when already loaded) customer only: describing a
page of events runs no query (the timeline test asserts it). Every event payload carries the codes its
sentence needs (`return_code`, `shipment_code`, `refund_code`, `code` ...); an old event without one gets
the same sentence without a link. Labels of choices (statuses, channels, reasons) come from the model's
TextChoices so they follow the request's language.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.money import format_vnd
from haumai.core.registry import TimelineEntry


def value(event: Any, *keys: str) -> str:
    """The first non-empty payload value among `keys`, as text ('' when none is there)."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    for key in keys:
        found = payload.get(key)
        if found not in (None, ""):
            return str(found)
    return ""


def amount(event: Any, key: str = "amount") -> str:
    """A payload amount formatted as VND, or '' when missing or not an integer."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    raw = payload.get(key)
    if isinstance(raw, bool) or not isinstance(raw, int):
        return ""
    return format_vnd(raw)


def label(choices: type[models.TextChoices], raw: Any) -> str:
    """The translated label of a choice value; an unknown value is shown as it is."""
    if raw in (None, ""):
        return ""
    try:
        return str(choices(raw).label)
    except ValueError:
        return str(raw)


def url(name: str, *args: Any) -> str:
    """A console URL, or '' when an argument is missing or the page does not exist."""
    if any(arg in (None, "") for arg in args):
        return ""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def customer_url(event: Any, anchor: str = "") -> str:
    """The customer 360 of the event's customer when it is already loaded (no query), else ''."""
    if not getattr(event, "customer_id", None):
        return ""
    descriptor = type(event).customer if hasattr(type(event), "customer") else None
    if descriptor is None or not descriptor.is_cached(event) or event.customer is None:
        return ""
    base = url("customers:detail", event.customer.code)
    return f"{base}#{anchor}" if base and anchor else base


def said(text: str, *, icon: str, tone: str = "neutral", url: str = "", link_text: str = "") -> TimelineEntry:
    """A timeline entry; `link_text` (the subject's code) becomes the link when it is part of the text."""
    return TimelineEntry(text=text, icon=icon, url=url, tone=tone, link_text=link_text if link_text in text else "")


def unknown(event: Any) -> TimelineEntry:
    """What the timeline says for an event type no app describes (a test keeps this from happening)."""
    return TimelineEntry(text=_("Recorded: %(name)s") % {"name": event.name}, icon="circle", tone="neutral")
