"""Journeys in the console: the journeys page (proactive care) and the care-task queue with its count."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, register_nav
from haumai.journeys.selectors import open_tasks


def _open_task_count(user: Any) -> int:
    return capped_count(open_tasks())


register_nav(
    NavEntry(
        key="journeys.tasks",
        area="care",
        label=_("Care tasks"),
        url_name="journeys:tasks",
        icon="list-checks",
        permission="journeys.view_caretask",
        order=20,
        count=_open_task_count,
    ),
    NavEntry(
        key="journeys.list",
        area="proactive",
        label=_("Journeys"),
        url_name="journeys:list",
        icon="route",
        permission="journeys.view_journey",
        order=10,
    ),
)
