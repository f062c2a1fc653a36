"""Timeline sentences for segment events (they have no customer; they show in the audit trail)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def _url(key: Any) -> str:
    try:
        return reverse("segments:detail", args=[key]) if key else ""
    except NoReverseMatch:
        return ""


def _created(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(text=_("Segment %(name)s created with %(size)s customers") % {
        "name": p.get("name", ""), "size": p.get("size", 0)}, icon="users", url=_url(p.get("key")))  # fmt: skip


def _changed(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(text=_("Segment %(name)s changed: %(size)s customers") % {
        "name": p.get("name", ""), "size": p.get("size", 0)}, icon="users", url=_url(p.get("key")))  # fmt: skip


register_sentence("segment.created", _created)
register_sentence("segment.changed", _changed)


def _entered(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(text=_("Entered segment %(name)s") % {"name": p.get("name", "")}, icon="users",
                         url=_url(p.get("key")))  # fmt: skip


register_sentence("segment.entered.*", _entered)
