"""The console's global search and command palette: asks every registered provider the user may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from haumai.console.navigation import allowed_entries
from haumai.core.registry import SearchHit, SearchProvider, registry
from haumai.core.text import words_match

MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2


@dataclass
class SearchGroup:
    key: str
    label: Any
    hits: list[SearchHit]

    @property
    def best(self) -> float:
        return max((hit.score for hit in self.hits), default=0.0)


@dataclass
class SearchResults:
    query: str
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(group.hits for group in self.groups)

    @property
    def hits(self) -> list[SearchHit]:
        """All hits in display order."""
        return [hit for group in self.groups for hit in group.hits]


def allowed_providers(user: Any) -> list[SearchProvider]:
    """The registered providers this user may search, in their order."""
    providers = [p for p in registry.search.values() if not p.permission or user.has_perm(p.permission)]
    return sorted(providers, key=lambda provider: (provider.order, provider.key))


def global_search(raw: str, user: Any, *, limit: int = 6) -> SearchResults:
    """Every allowed provider's hits for the query; groups with the best (exact) hit first."""
    query = " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    if len(query) < MIN_QUERY_LENGTH:
        return results
    for provider in allowed_providers(user):
        hits = provider.search(query, user, limit)[:limit]
        if hits:
            results.groups.append(SearchGroup(key=provider.key, label=provider.label, hits=hits))
    # Stable sort: an exact code match (score 1.0) moves its group up, otherwise the providers' order stays.
    results.groups.sort(key=lambda group: -round(group.best, 1))
    return results


def page_actions(query: str, user: Any, limit: int) -> list[SearchHit]:
    """'Go to' actions: the sidebar pages the user may open whose label holds every typed word."""
    from django.urls import NoReverseMatch, reverse

    hits: list[SearchHit] = []
    for entry in allowed_entries(user):
        label = str(entry.label)
        if not (words_match(query, label) or words_match(query, _english(entry.label))):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        hits.append(SearchHit(kind=gettext("Go to"), title=label, url=url, icon=entry.icon, score=0.4))
    return hits[:limit]


def _english(label: Any) -> str:
    # Staff type English page names too ("receiving") while the console speaks Vietnamese.
    from django.utils import translation

    with translation.override("en"):
        return str(label)
