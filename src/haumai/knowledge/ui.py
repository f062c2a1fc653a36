"""Console registration: the Knowledge base pages, a badge of articles waiting for review, article search."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.knowledge import search
from haumai.knowledge.models import Article, ArticleStatus


def _in_review(user: Any) -> int | None:
    if not user.has_perm("knowledge.publish_article"):
        return None
    return capped_count(Article.objects.filter(status=ArticleStatus.IN_REVIEW))


def search_articles(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Articles of any state whose title or text has the words (diacritics ignored); one query.

    Codes and serials (one word with digits) are left to the other providers; the palette skips the typo
    tier to stay at one query (the help center and the inbox use it)."""
    text = query.strip()
    if len(text) < 3 or (" " not in text and any(ch.isdigit() for ch in text)):
        return []
    hits = search.search_articles(query=text, statuses=ArticleStatus.values, limit=limit, allow_typos=False)
    top = max((hit.score for hit in hits), default=1.0) or 1.0
    return [
        SearchHit(
            kind=_("Article"),
            title=hit.article.title,
            url=reverse("knowledge:edit", args=[hit.article.pk]),
            subtitle=f"{hit.article.get_status_display()} · {hit.article.get_language_display()}",
            icon="book-open",
            # Below exact code matches (1.0) of other providers; relative to the best article.
            score=round(0.8 * hit.score / top, 3),
        )
        for hit in hits
    ]


register_nav(
    NavEntry(
        key="knowledge.articles",
        area="care",
        label=_("Knowledge base"),
        url_name="knowledge:list",
        icon="book-open",
        permission="knowledge.view_article",
        order=60,
        active_prefixes=("/console/knowledge/",),
        count=_in_review,
    ),
)
register_search(
    SearchProvider(
        key="knowledge", label=_("Articles"), search=search_articles, permission="knowledge.view_article", order=70
    )
)
