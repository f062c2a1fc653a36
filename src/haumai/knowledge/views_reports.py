"""Console pages: an article's version history, the feedback summary and the content-gaps report."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.core.paging import page_number, page_of
from haumai.knowledge import selectors

PAGE_SIZE = 25
PERIODS = (7, 30, 90, 365)


def _days(request: HttpRequest, default: int) -> int:
    text = request.GET.get("days", "")
    return int(text) if text.isdigit() and int(text) in PERIODS else default


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def version_list(request: HttpRequest, article_id: int) -> HttpResponse:
    """The saved versions of an article, newest first (paginated)."""
    try:
        article = selectors.article_by_id(article_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    page = page_number(request)
    rows, has_next = page_of(selectors.versions(article), page, PAGE_SIZE)
    return render(request, "knowledge/versions.html",
                  {"article": article, "rows": rows, "page": page, "has_next": has_next})


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def version_detail(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    """One saved version as it read then."""
    try:
        article = selectors.article_by_id(article_id)
        found = selectors.version(article, number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "knowledge/version.html", {"article": article, "version": found})


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def feedback_summary(request: HttpRequest) -> HttpResponse:
    """Helpful / not helpful per article over a period, most unhelpful first, and the reasons given."""
    days = _days(request, 90)
    since = clock.now() - dt.timedelta(days=days)
    page = page_number(request)
    rows, has_next = page_of(selectors.feedback_summary(since=since), page, PAGE_SIZE)
    context = {
        "rows": selectors.feedback_rows(rows),
        "reasons": selectors.feedback_reasons(since=since),
        "page": page,
        "has_next": has_next,
        "days": days,
        "periods": PERIODS,
    }
    return render(request, "knowledge/feedback.html", context)


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def content_gaps(request: HttpRequest) -> HttpResponse:
    """Searches that found nothing, grouped by what was typed (diacritics ignored), most frequent first."""
    days = _days(request, 30)
    page = page_number(request)
    rows, has_next = page_of(selectors.content_gaps(since=clock.now() - dt.timedelta(days=days)), page, PAGE_SIZE)
    context = {"rows": rows, "page": page, "has_next": has_next, "days": days, "periods": PERIODS}
    return render(request, "knowledge/gaps.html", context)
