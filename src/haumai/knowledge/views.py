"""Console pages of the knowledge base: article list, editor, preview, workflow actions, images, and
the inbox's article search (JSON) that inserts a link and summary into a reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError, NotFound, ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.knowledge import content, selectors, services
from haumai.knowledge.forms import ArticleForm, initial_for
from haumai.knowledge.models import Article, ArticleStatus, HelpCategory, Language, SearchSource

PAGE_SIZE = 25
ACTIONS = {
    "submit": services.submit_for_review,
    "publish": services.publish,
    "return": services.return_to_draft,
    "archive": services.archive,
}


def _load(article_id: int) -> Article:
    try:
        return selectors.article_by_id(article_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


def _int(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """Articles by status, category and language, or by search (ranked); paginated."""
    status = request.GET.get("status", "")
    status = status if status in ArticleStatus.values else ""
    language = request.GET.get("language", "")
    language = language if language in Language.values else ""
    category_id = _int(request.GET.get("category", ""))
    query = " ".join(request.GET.get("q", "").split())[:200]
    page = page_number(request)
    hits_by_id: dict[int, selectors.ArticleHit] = {}
    if query:
        found = selectors.search_articles(
            query=query, language=language, statuses=[status] if status else ArticleStatus.values,
            category_id=category_id, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE,
        )
        rows, has_next = [hit.article for hit in found[:PAGE_SIZE]], len(found) > PAGE_SIZE
        hits_by_id = {hit.article.pk: hit for hit in found}
        # The hits' articles come without their relations: fetch them for the table in one query.
        related = selectors.article_list().in_bulk([row.pk for row in rows])
        rows = [related.get(row.pk, row) for row in rows]
    else:
        rows, has_next = page_of(
            selectors.article_list(status=status, category_id=category_id, language=language), page, PAGE_SIZE
        )
    context = {
        "rows": [(row, hits_by_id.get(row.pk)) for row in rows],
        "has_next": has_next,
        "page": page,
        "status": status,
        "language": language,
        "category_id": category_id,
        "query": query,
        "statuses": ArticleStatus.choices,
        "languages": Language.choices,
        "categories": list(HelpCategory.objects.all()),
    }
    return render(request, "knowledge/list.html", context)


def _apply_errors(form: ArticleForm, exc: DomainError) -> None:
    for error in exc.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    if not exc.errors:
        form.add_error(None, exc.message)


@login_required
@permission_required("knowledge.add_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    """Write a new article (a draft), or the translation of another one (?translation_of=<id>)."""
    source_id = _int(request.GET.get("translation_of", ""))
    source = _load(source_id) if source_id is not None else None
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.create_article(actor=request.user, data=form.to_input(), translation_of=source)
            except DomainError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Draft saved"))
                return redirect("knowledge:edit", article_id=article.pk)
    else:
        initial = {"language": Language.VI, "kind": "article"}
        if source is not None:
            initial = {**initial_for(source), "title": "", "slug": "", "body_html": source.body_html,
                       "language": Language.EN if source.language == Language.VI else Language.VI}
        form = ArticleForm(initial=initial)
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/edit.html", {"form": form, "article": None, "source": source}, status=status)


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    """Edit an article; saving a published one keeps the previous version (publishers only)."""
    article = _load(article_id)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("knowledge.change_article"):
            raise PermissionDenied
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.update_article(actor=request.user, article=article, data=form.to_input())
            except DomainError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Article saved"))
                return redirect("knowledge:edit", article_id=article.pk)
        status = 422
    else:
        form = ArticleForm(initial=initial_for(article))
    context = {
        "form": form,
        "article": article,
        "translations": selectors.translations(article),
        "version_count": selectors.versions(article).count(),
        "can_publish": request.user.has_perm("knowledge.publish_article"),
        "can_edit": request.user.has_perm("knowledge.change_article")
        and (article.status != ArticleStatus.PUBLISHED or request.user.has_perm("knowledge.publish_article")),
    }
    return render(request, "knowledge/edit.html", context, status=status)


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def article_preview(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article as readers will see it, whatever its state."""
    article = _load(article_id)
    context = {"article": article, "embed": content.embed_url(article.video_url)}
    return render(request, "knowledge/preview.html", context)


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
@require_POST
def article_action(request: HttpRequest, article_id: int, action: str) -> HttpResponse:
    """Submit for review, publish, send back to draft or archive (the services check who may)."""
    article = _load(article_id)
    move = ACTIONS.get(action)
    if move is None:
        raise Http404("Unknown action")
    try:
        moved = move(actor=request.user, article=article)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The article is now: %(status)s") % {"status": moved.get_status_display()})
    return redirect("knowledge:edit", article_id=article.pk)


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
@require_POST
def image_upload(request: HttpRequest) -> HttpResponse:
    """Upload an image and show its address to paste into a body (<img src="...">)."""
    back = _int(request.POST.get("article", ""))
    file = request.FILES.get("image")
    try:
        if file is None:
            raise ValidationFailed(_("The image was not saved"), [])
        image = services.upload_image(actor=request.user, file=file, alt_text=request.POST.get("alt_text", ""))
    except DomainError as exc:
        _refused(request, exc if exc.errors or file is not None else ValidationFailed(_("Choose an image file")))
    else:
        messages.success(request, _("Image uploaded. Use it in the body: %(tag)s")
                         % {"tag": f'<img src="{image.image.url}" alt="{image.alt_text}">'})
    return redirect("knowledge:edit", article_id=back) if back else redirect("knowledge:new")


@login_required
@require_GET
def insert_search(request: HttpRequest) -> JsonResponse:
    """For the inbox: published articles for a query, with the public link and summary to insert in a reply."""
    user = request.user
    if not (user.has_perm("knowledge.view_article") or user.has_perm("support.reply_ticket")):
        raise PermissionDenied
    query = " ".join(request.GET.get("q", "").split())[:200]
    language = request.GET.get("language", "")
    language = language if language in Language.values else ""
    if len(query) < 2:
        return JsonResponse({"detail": _("Type at least two letters"), "errors": [
            {"field": "q", "message": _("Type at least two letters"), "code": "too_short"}]}, status=422)
    hits = selectors.search_articles(query=query, language=language, limit=8)
    if not hits:
        services.record_unanswered_search(query=query, language=language or Language.VI, source=SearchSource.INBOX)
    return JsonResponse({
        "results": [
            {
                "title": hit.article.title,
                "summary": hit.article.summary or content.body_text(hit.article.body_html)[:200],
                "url": request.build_absolute_uri(selectors.help_url(hit.article)),
                "language": hit.article.language,
                "score": hit.score,
                "snippet_html": str(hit.snippet_html),
            }
            for hit in hits
        ]
    })
