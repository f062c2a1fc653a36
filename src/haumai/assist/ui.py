"""Console registration: the AI call log in Settings (administrators)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="assist.calls",
        area="settings",
        label=_("AI calls"),
        url_name="assist:calls",
        icon="sparkles",
        permission="assist.view_aicall",
        order=80,
        active_prefixes=("/console/assist/",),
    ),
)
