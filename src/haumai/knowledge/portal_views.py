"""The public help center: home, categories, articles by slug, search, "was this helpful?" (no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.core import network
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.knowledge import conf, content, selectors, services
from haumai.knowledge.models import Article, ArticleKind, FeedbackReason, SearchSource

PAGE_SIZE = 12
SEARCH_PAGE_SIZE = 10


def _language() -> str:
    return selectors.public_language(get_language())


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Categories, the most helpful articles and frequent questions, and the search box."""
    language = _language()
    context = {
        "categories": selectors.help_categories(language=language),
        "top": selectors.top_articles(language=language),
        "faq": selectors.faq_entries(language=language, limit=6),
        "language": language,
    }
    return render(request, "knowledge/help/home.html", context)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    """One category: its articles and guides (paginated) and its FAQ entries."""
    language = _language()
    try:
        found = selectors.category_by_slug(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    page = page_number(request)
    rows, has_next = page_of(selectors.category_articles(category=found, language=language), page, PAGE_SIZE)
    context = {
        "category": found,
        "name": found.name_in(language),
        "description": found.description_in(language),
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "faq": selectors.faq_entries(language=language, category=found, limit=20) if page == 1 else [],
    }
    return render(request, "knowledge/help/category.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Ranked results with highlighted snippets; a search that finds nothing is kept as a content gap."""
    language = _language()
    query = " ".join(request.GET.get("q", "").split())[:200]
    page = page_number(request)
    hits = []
    has_next = False
    if query:
        offset = (page - 1) * SEARCH_PAGE_SIZE
        found = selectors.search_articles(
            query=query, language=language, limit=SEARCH_PAGE_SIZE + 1, offset=offset
        )
        hits, has_next = found[:SEARCH_PAGE_SIZE], len(found) > SEARCH_PAGE_SIZE
        if not found and page == 1:
            services.record_unanswered_search(query=query, language=language, source=SearchSource.HELP_CENTER)
    context = {"query": query, "hits": hits, "page": page, "has_next": has_next}
    return render(request, "knowledge/help/search.html", context)


def _article_page(request: HttpRequest, article: Article, *, status: int = 200, **extra: object) -> HttpResponse:
    context = {
        "article": article,
        "embed": content.embed_url(article.video_url),
        "translations": selectors.published_translations(article),
        "reasons": [(value, label) for value, label in FeedbackReason.choices if value != FeedbackReason.SOLVED],
        "category_name": article.category.name_in(article.language) if article.category else "",
        **extra,
    }
    return render(request, "knowledge/help/article.html", context, status=status)


def _published(slug: str) -> Article:
    try:
        return selectors.published_article(slug=slug, language=_language())
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """A published article by its slug, with its video, translations and the feedback buttons."""
    return _article_page(request, _published(slug), thanked=request.GET.get("thanks") == "1")


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """Record "was this helpful?" (yes / no with a reason); rate-limited per network address."""
    found = _published(slug)
    answer = request.POST.get("helpful", "")
    if answer not in ("yes", "no"):
        return _article_page(request, found, status=400, feedback_error=_("Choose yes or no"))
    try:
        services.record_feedback(
            article=found,
            helpful=answer == "yes",
            reason=request.POST.get("reason", "")[:30] if answer == "no" else FeedbackReason.SOLVED,
            comment=request.POST.get("comment", "")[:2000],
            ip_address=network.client_ip(request),
        )
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        return _article_page(
            request, found, status=exc.status, feedback_error=f"{exc.message}: {details}" if details else exc.message
        )
    return redirect(f"{selectors.help_url(found)}?thanks=1#feedback")


def _troubleshooting(slug: str) -> Article:
    found = _published(slug)
    if found.kind != ArticleKind.TROUBLESHOOTING:
        raise Http404(_("This article has no troubleshooting steps"))
    return found


def _step_page(request: HttpRequest, article: Article, step_id: int | None, *, status: int = 200,
               **extra: object) -> HttpResponse:
    try:
        where = selectors.walk_step(article, step_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context = {"article": article, "where": where, "contact": conf.contact(), **extra}
    return render(request, "knowledge/help/step.html", context, status=status)


@require_GET
def fix(request: HttpRequest, slug: str, step_id: int | None = None) -> HttpResponse:
    """One step of a troubleshooting tree: the question with its answers, or the end (fix, repair, contact)."""
    return _step_page(request, _troubleshooting(slug), step_id, answered=request.GET.get("answered", ""))


@require_POST
def fix_answer(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    """"Did this fix it?" at a fix to try: counted (no personal data); "no" shows what to do next."""
    found = _troubleshooting(slug)
    answer = request.POST.get("fixed", "")
    if answer not in ("yes", "no"):
        return _step_page(request, found, step_id, status=400, answer_error=_("Choose yes or no"))
    try:
        services.record_fix_answer(step=selectors.step_of(found, step_id), fixed=answer == "yes")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        return _step_page(request, found, step_id, status=exc.status, answer_error=exc.message)
    return redirect(f"{reverse('help:fix_step', args=[found.slug, step_id])}?answered={answer}#step-result")
