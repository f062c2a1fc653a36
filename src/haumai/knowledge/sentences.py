"""Timeline sentences for the knowledge-base events (article workflow, troubleshooting steps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence


def _url(event: Any) -> str:
    try:
        return reverse("knowledge:edit", args=[event.subject_id]) if event.subject_id else ""
    except NoReverseMatch:
        return ""


def _entry(make: Callable[[dict[str, Any]], str], tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        payload = dict(event.payload or {})
        try:
            text = make(payload)
        except (KeyError, TypeError, ValueError):
            text = _("Help article updated")
        return TimelineEntry(text=text, icon="book-open", url=_url(event), tone=tone,
                             link_text=str(payload.get("title", "")))

    return describe


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str]] = {
    "article.created": (lambda p: _("Help article %(title)s written (draft)") % {"title": p["title"]}, "neutral"),
    "article.updated": (
        lambda p: (
            _("Help article %(title)s saved (version %(version)s)") % {"title": p["title"], "version": p["version"]}
        ),
        "neutral",
    ),
    "article.submitted": (lambda p: _("Help article %(title)s submitted for review") % {"title": p["title"]}, "info"),
    "article.returned": (lambda p: _("Help article %(title)s sent back to draft") % {"title": p["title"]}, "warning"),
    "article.published": (lambda p: _("Help article %(title)s published") % {"title": p["title"]}, "success"),
    "article.archived": (lambda p: _("Help article %(title)s archived") % {"title": p["title"]}, "neutral"),
    "article.step_added": (lambda p: _("Troubleshooting step added to %(title)s") % {"title": p["title"]}, "neutral"),
    "article.step_changed": (lambda p: _("Troubleshooting step of %(title)s changed") % {"title": p["title"]},
                             "neutral"),
    "article.step_removed": (lambda p: _("Troubleshooting step removed from %(title)s") % {"title": p["title"]},
                             "neutral"),
}

for _name, (_make, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _tone))
