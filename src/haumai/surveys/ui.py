"""Console registration: surveys, answers and the follow-up queue; search by invitation/follow-up code or comment."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.errors import NotFound
from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.surveys import selectors


def _open_follow_ups(user: Any) -> int | None:
    return capped_count(selectors.open_follow_ups())


def search_surveys(query: str, user: Any, limit: int) -> list[SearchHit]:
    """An invitation code (SV-...) or a follow-up code (FU-...), exactly; other text costs no query here
    (comments are searched, without diacritics, on the answers page)."""
    upper = query.strip().upper()
    if upper.startswith("FU-"):
        try:
            follow_up = selectors.follow_up_by_code(upper[:24])
        except NotFound:
            return []
        return [
            SearchHit(kind=_("Follow-up"), title=follow_up.code, url=reverse("surveys:follow_up", args=[upper]),
                      subtitle=f"{follow_up.customer.full_name} · {follow_up.get_status_display()}",
                      icon="phone-call", score=1.0)
        ]
    if not upper.startswith("SV-"):
        return []
    try:
        response = selectors.response_detail(upper[:24])
    except NotFound:
        return []
    score = "" if response.score is None else f" · {response.score}"
    return [
        SearchHit(kind=_("Survey answer"), title=f"{response.invitation.code} · {response.survey.name}",
                  url=reverse("surveys:response", args=[response.invitation.code]),
                  subtitle=f"{response.customer.full_name}{score} · {response.comment[:60]}", icon="smile", score=1.0)
    ][:limit]


register_nav(
    NavEntry(
        key="surveys.responses",
        area="care",
        label=_("Survey answers"),
        url_name="surveys:responses",
        icon="smile",
        permission="surveys.view_response",
        order=60,
        active_prefixes=("/console/surveys/responses/",),
    ),
    NavEntry(
        key="surveys.follow_ups",
        area="care",
        label=_("Survey follow-ups"),
        url_name="surveys:follow_ups",
        icon="phone-call",
        permission="surveys.view_followup",
        order=61,
        active_prefixes=("/console/surveys/follow-ups/",),
        count=_open_follow_ups,
    ),
    NavEntry(
        key="surveys.list",
        area="settings",
        label=_("Surveys"),
        url_name="surveys:list",
        icon="clipboard-list",
        permission="surveys.view_survey",
        order=40,
        active_prefixes=("/console/surveys/manage/",),
    ),
)
register_search(
    SearchProvider(
        key="surveys", label=_("Survey answers"), search=search_surveys, permission="surveys.view_response", order=70
    )
)
