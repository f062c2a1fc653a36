"""Timeline sentences of care journeys and care tasks (journey.*, care_task.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import said, url, value


def journey_saved(event: Any) -> TimelineEntry:
    key = value(event, "key")
    active = event.payload.get("active") if isinstance(event.payload, dict) else None
    text = (
        _("Care journey %(key)s saved (active)") if active else _("Care journey %(key)s saved (paused)")
    ) % {"key": key or "—"}
    return said(text, icon="route", url=url("journeys:detail", key), link_text=key)


def care_task_completed(event: Any) -> TimelineEntry:
    title = value(event, "title")
    text = _("Care task done: %(title)s") % {"title": title} if title else _("Care task done")
    return said(text, icon="list-checks", tone="success", url=url("journeys:tasks"))


register_sentence("journey.saved", journey_saved)
register_sentence("care_task.completed", care_task_completed)
