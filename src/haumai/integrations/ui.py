"""Console registration: imports (settings area), with the runs waiting for or in the worker as the badge."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, register_nav
from haumai.integrations.models import ImportRun


def _live_runs(user: Any) -> int | None:
    return capped_count(ImportRun.objects.filter(status__in=("queued", "running")))


register_nav(
    NavEntry(
        key="integrations.imports",
        area="settings",
        label=_("Imports"),
        url_name="integrations:list",
        icon="file-text",
        permission="integrations.view_importrun",
        order=50,
        active_prefixes=("/console/imports/",),
        count=_live_runs,
    ),
)
