"""Reads of the knowledge base: the public help center, the console lists, versions, feedback and gaps.
Search itself is `haumai.knowledge.search.search_articles` (re-exported here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.knowledge.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    Feedback,
    FeedbackReason,
    HelpCategory,
    Language,
    TroubleshootingStep,
    UnansweredSearch,
)
from haumai.knowledge.search import ArticleHit, search_articles

__all__ = ["ArticleHit", "search_articles"]


def public_language(language: str | None) -> str:
    """The help-center language for a request language ('vi' unless English)."""
    return Language.EN if (language or "").startswith("en") else Language.VI


def published() -> QuerySet[Article]:
    """Published articles (any language)."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED)


def help_categories(*, language: str) -> list[tuple[HelpCategory, int]]:
    """Categories with their number of published articles in a language (empty ones left out); one query."""
    rows = HelpCategory.objects.annotate(
        shown=Count("articles", filter=Q(articles__status=ArticleStatus.PUBLISHED, articles__language=language))
    ).order_by("position", "name_vi")
    return [(category, category.shown) for category in rows if category.shown]


def top_articles(*, language: str, limit: int = 8) -> list[Article]:
    """The most helpful published articles (helpful answers minus unhelpful), then the newest."""
    return list(
        published()
        .filter(language=language)
        .exclude(kind=ArticleKind.FAQ)
        .annotate(
            votes=Count("feedback", filter=Q(feedback__helpful=True))
            - Count("feedback", filter=Q(feedback__helpful=False))
        )
        .select_related("category")
        .order_by("-votes", "-published_at", "-id")[:limit]
    )


def faq_entries(*, language: str, category: HelpCategory | None = None, limit: int = 10) -> list[Article]:
    """Published FAQ entries (question = title, answer = body), in a category or overall."""
    rows = published().filter(language=language, kind=ArticleKind.FAQ)
    if category is not None:
        rows = rows.filter(category=category)
    return list(rows.order_by("-published_at", "-id")[:limit])


def category_by_slug(slug: str) -> HelpCategory:
    """A help category by its slug."""
    category = HelpCategory.objects.filter(slug=slug[:80]).first()
    if category is None:
        raise NotFound(_("This help category does not exist"))
    return category


def category_articles(*, category: HelpCategory, language: str) -> QuerySet[Article]:
    """Published articles and guides of a category in a language (FAQ entries are listed apart)."""
    return (
        published()
        .filter(category=category, language=language)
        .exclude(kind=ArticleKind.FAQ)
        .order_by("-published_at", "-id")
    )


def published_article(*, slug: str, language: str) -> Article:
    """A published article by slug, in the reader's language first, else in the other one."""
    rows = list(published().filter(slug=slug[:220]).select_related("category", "product", "product_category"))
    if not rows:
        raise NotFound(_("This article does not exist or is not published"))
    return next((row for row in rows if row.language == language), rows[0])


def published_translations(article: Article) -> list[Article]:
    """The article's published versions in the other languages."""
    return list(published().filter(translation_key=article.translation_key).exclude(pk=article.pk))


def help_url(article: Article) -> str:
    """The public path of an article."""
    return reverse("help:article", args=[article.slug])


def _guide(language: str, **where: Any) -> Article | None:
    rows = published().filter(kind=ArticleKind.GUIDE, **where).order_by("-published_at", "-id")
    return rows.filter(language=language).first() or rows.first()


def guide_for(*, product: Any, language: str = Language.VI) -> Article | None:
    """The usage guide of a product; else of its catalog category (or a parent category); else None."""
    if product is None:
        return None
    found = _guide(language, product=product)
    category = getattr(product, "category", None)
    depth = 0
    while found is None and category is not None and depth < 5:
        found = _guide(language, product_category=category)
        category, depth = category.parent, depth + 1
    return found


def guide_path_for_products(*, products: list[Any], language: str = Language.VI) -> str:
    """The path of the first product's guide that exists (product, then category); else the help center."""
    for product in products:
        guide = guide_for(product=product, language=language)
        if guide is not None:
            return help_url(guide)
    return reverse("help:home")


# --- console ------------------------------------------------------------------------------------


def article_list(*, status: str = "", category_id: int | None = None, language: str = "") -> QuerySet[Article]:
    """Articles for the console, newest change first, with their category and editor."""
    rows = Article.objects.select_related("category", "updated_by", "product", "product_category")
    if status:
        rows = rows.filter(status=status)
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if language:
        rows = rows.filter(language=language)
    return rows.order_by("-updated_at", "-id")


def article_by_id(article_id: int) -> Article:
    """One article for the console."""
    article = (
        Article.objects.select_related("category", "author", "updated_by", "product", "product_category")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise NotFound(_("This article does not exist"))
    return article


def translations(article: Article) -> list[Article]:
    """All other-language rows of an article (any status)."""
    return list(Article.objects.filter(translation_key=article.translation_key).exclude(pk=article.pk))


def versions(article: Article) -> QuerySet[ArticleVersion]:
    """Saved versions of an article, newest first."""
    return ArticleVersion.objects.filter(article=article).select_related("saved_by").order_by("-number")


def version(article: Article, number: int) -> ArticleVersion:
    """One saved version of an article."""
    found = ArticleVersion.objects.filter(article=article, number=number).select_related("saved_by").first()
    if found is None:
        raise NotFound(_("This version does not exist"))
    return found


@dataclass(frozen=True)
class FeedbackRow:
    article: Article
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_percent(self) -> int:
        return round(100 * self.helpful / self.total) if self.total else 0


def feedback_summary(*, since: dt.datetime | None = None) -> QuerySet[Article]:
    """Articles that got answers, most unhelpful first, with helpful / not-helpful counts (for paging)."""
    since = since or clock.now() - dt.timedelta(days=90)
    recent = Q(feedback__created_at__gte=since)
    return (
        Article.objects.filter(feedback__created_at__gte=since)
        .annotate(
            helpful_votes=Count("feedback", filter=recent & Q(feedback__helpful=True)),
            unhelpful_votes=Count("feedback", filter=recent & Q(feedback__helpful=False)),
        )
        .order_by("-unhelpful_votes", "-helpful_votes", "id")
        .distinct()
    )


def feedback_rows(articles: list[Article]) -> list[FeedbackRow]:
    """Rows of the feedback summary page from annotated articles."""
    return [FeedbackRow(a, getattr(a, "helpful_votes", 0), getattr(a, "unhelpful_votes", 0)) for a in articles]


def feedback_reasons(*, since: dt.datetime | None = None) -> list[tuple[str, int]]:
    """Why readers said an article did not help: reason label and count, most frequent first."""
    since = since or clock.now() - dt.timedelta(days=90)
    rows = (
        Feedback.objects.filter(created_at__gte=since, helpful=False)
        .values("reason")
        .annotate(total=Count("id"))
        .order_by("-total")
    )
    labels = dict(FeedbackReason.choices)
    return [(str(labels.get(row["reason"], _("No reason given"))), row["total"]) for row in rows]


def recent_comments(*, article: Article, limit: int = 20) -> list[Feedback]:
    """The latest answers with a reason or comment on one article."""
    return list(Feedback.objects.filter(article=article).exclude(reason="", comment="")[:limit])


def content_gaps(*, since: dt.datetime | None = None) -> QuerySet[Any]:
    """Searches that found nothing, grouped by folded query: count, last time, one way it was typed."""
    since = since or clock.now() - dt.timedelta(days=30)
    return (
        UnansweredSearch.objects.filter(created_at__gte=since)
        .values("query_key")
        .annotate(searches=Count("id"), last_at=Max("created_at"), example=Max("query"))
        .order_by("-searches", "-last_at", "query_key")
    )


# --- troubleshooting trees -----------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    """One step of a tree in reading order, with its depth (0 = the first step) and whether it can take answers."""

    step: TroubleshootingStep
    depth: int
    answers: int


def troubleshooting_rows(article: Article) -> list[TreeRow]:
    """The whole tree of a troubleshooting article, depth first (one query)."""
    steps = list(TroubleshootingStep.objects.filter(article=article))
    children: dict[int | None, list[TroubleshootingStep]] = {}
    for step in steps:
        children.setdefault(step.parent_id, []).append(step)
    rows: list[TreeRow] = []
    pending = [(root, 0) for root in reversed(children.get(None, []))]
    while pending:
        step, depth = pending.pop()
        below = children.get(step.pk, [])
        rows.append(TreeRow(step=step, depth=depth, answers=len(below)))
        pending.extend((child, depth + 1) for child in reversed(below))
    return rows


@dataclass(frozen=True)
class WalkStep:
    """Where a reader stands in a tree: the step, the answers it offers, and the answers given to get here."""

    step: TroubleshootingStep
    answers: list[TroubleshootingStep]
    path: list[TroubleshootingStep]  # from the first step down to the parent of `step`

    @property
    def trail(self) -> list[tuple[str, str]]:
        """(question, the answer chosen) for each step on the way here."""
        chosen = [*self.path[1:], self.step]
        return [(question.text, answer.answer) for question, answer in zip(self.path, chosen, strict=True)]


def walk_step(article: Article, step_id: int | None) -> WalkStep:
    """The step a reader is on (the first step when `step_id` is None), from one query."""
    steps = {step.pk: step for step in TroubleshootingStep.objects.filter(article=article)}
    if step_id is None:
        current = next((step for step in steps.values() if step.parent_id is None), None)
    else:
        current = steps.get(step_id)
    if current is None:
        raise NotFound(_("This step does not exist"))
    path: list[TroubleshootingStep] = []
    parent_id = current.parent_id
    while parent_id is not None and parent_id in steps and len(path) < 50:
        path.insert(0, steps[parent_id])
        parent_id = steps[parent_id].parent_id
    answers = sorted((s for s in steps.values() if s.parent_id == current.pk), key=lambda s: (s.position, s.pk))
    return WalkStep(step=current, answers=answers, path=path)


def published_troubleshooting(article_id: int) -> Article | None:
    """A published troubleshooting article by id (None when it was unpublished, deleted or is another kind)."""
    return published().filter(pk=article_id, kind=ArticleKind.TROUBLESHOOTING).first()


def step_of(article: Article, step_id: int) -> TroubleshootingStep:
    found = TroubleshootingStep.objects.filter(article=article, pk=step_id).first()
    if found is None:
        raise NotFound(_("This step does not exist"))
    return found
