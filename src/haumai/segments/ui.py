"""Console registration: the segments page and search by segment name (without diacritics)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.segments import selectors


def search_segments(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Segments whose name contains the query, ignoring diacritics (one query; a code-like word costs none)."""
    text = query.strip()
    if len(text) < 2 or (" " not in text and any(ch.isdigit() for ch in text)):
        return []
    return [
        SearchHit(kind=_("Segment"), title=segment.name, url=reverse("segments:detail", args=[segment.key]),
                  subtitle=str(_("%(size)s customers") % {"size": segment.size}), icon="users", score=0.8)
        for segment in selectors.segment_list(query=query)[:limit]
    ]  # fmt: skip


register_nav(
    NavEntry(
        key="segments.list",
        area="care",
        label=_("Segments"),
        url_name="segments:list",
        icon="users",
        permission="segments.view_segment",
        order=70,
        active_prefixes=("/console/segments/",),
    ),
)
register_search(
    SearchProvider(key="segments", label=_("Segments"), search=search_segments, permission="segments.view_segment",
                   order=80)
)
