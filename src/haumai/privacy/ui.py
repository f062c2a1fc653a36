"""Console registration: data-subject requests (care), breach incidents and the access log (settings),
and a search provider for request and incident codes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.privacy.models import OPEN_STATUSES, DataRequest, Incident


def _open_requests(user: Any) -> int | None:
    return capped_count(DataRequest.objects.filter(status__in=OPEN_STATUSES))


def search_privacy(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A request by its DSR code (exact), an incident by its INC code (exact)."""
    text = query.strip().upper()
    hits: list[SearchHit] = []
    if text.startswith("DSR-") and user.has_perm("privacy.view_datarequest"):
        row = DataRequest.objects.filter(code=text).select_related("customer").first()
        if row is not None:
            hits.append(
                SearchHit(
                    kind=_("Data request"),
                    title=row.code,
                    url=reverse("privacy:detail", args=[row.code]),
                    subtitle=f"{row.get_kind_display()} · {row.customer.full_name} · {row.get_status_display()}",
                    icon="shield-check",
                    score=1.0,
                )
            )
    if text.startswith("INC-") and user.has_perm("privacy.view_incident"):
        incident = Incident.objects.filter(code=text).first()
        if incident is not None:
            hits.append(
                SearchHit(
                    kind=_("Data breach"),
                    title=incident.code,
                    url=reverse("privacy:incident", args=[incident.code]),
                    subtitle=f"{incident.title} · {incident.get_status_display()}",
                    icon="shield-alert",
                    score=1.0,
                )
            )
    return hits[:limit]


register_nav(
    NavEntry(
        key="privacy.requests",
        area="care",
        label=_("Data requests"),
        url_name="privacy:list",
        icon="file-lock",
        permission="privacy.view_datarequest",
        order=80,
        active_prefixes=("/console/privacy/",),
        count=_open_requests,
    ),
    NavEntry(
        key="privacy.incidents",
        area="settings",
        label=_("Data breaches"),
        url_name="privacy:incidents",
        icon="shield-alert",
        permission="privacy.view_incident",
        order=60,
        active_prefixes=("/console/privacy/incidents/",),
    ),
    NavEntry(
        key="privacy.access_log",
        area="settings",
        label=_("Access log"),
        url_name="privacy:access_log",
        icon="eye",
        permission="privacy.view_accesslog",
        order=61,
        active_prefixes=("/console/privacy/access/",),
    ),
)
register_search(SearchProvider(key="privacy", label=_("Data requests"), search=search_privacy, permission="", order=80))
