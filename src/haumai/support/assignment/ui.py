"""Console registration of the assignment rules page (under Settings, managers only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="support.assignment",
        area="settings",
        label=_("Assignment rules"),
        url_name="support_assignment:teams",
        icon="route",
        permission="support.change_assignmentrule",
        order=42,
        active_prefixes=("/console/support/assignment/",),
    ),
)
