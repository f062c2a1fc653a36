"""Console page of a troubleshooting article's tree: see it, add answers and steps, edit and remove steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.core.errors import DomainError, NotFound
from haumai.knowledge import selectors
from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, StepOutcome, TroubleshootingStep
from haumai.knowledge.services import troubleshooting
from haumai.knowledge.views import _refused  # the one refusal-to-message of the knowledge console


def _article(article_id: int) -> Article:
    try:
        article = selectors.article_by_id(article_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if article.kind != ArticleKind.TROUBLESHOOTING:
        raise Http404(_("Only a troubleshooting article has steps"))
    return article


def _step(article: Article, step_id: int) -> TroubleshootingStep:
    try:
        return selectors.step_of(article, step_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _back(article: Article) -> HttpResponse:
    return redirect("knowledge:steps", article_id=article.pk)


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_GET
def step_tree(request: HttpRequest, article_id: int) -> HttpResponse:
    """The tree, depth first, with the answers readers gave at each fix to try."""
    article = _article(article_id)
    user = request.user
    can_edit = user.has_perm("knowledge.change_article") and (
        article.status != ArticleStatus.PUBLISHED or user.has_perm("knowledge.publish_article")
    )
    context = {
        "article": article,
        "rows": selectors.troubleshooting_rows(article),
        "outcomes": StepOutcome.choices,
        "can_edit": can_edit,
        "max_answers": troubleshooting.MAX_ANSWERS,
    }
    return render(request, "knowledge/steps.html", context)


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
@require_POST
def step_add(request: HttpRequest, article_id: int) -> HttpResponse:
    """Add the first step, or an answer (with the step it leads to) under a question."""
    article = _article(article_id)
    parent_id = request.POST.get("parent", "").strip()
    parent = _step(article, int(parent_id)) if parent_id.isdigit() and len(parent_id) < 10 else None
    try:
        troubleshooting.add_step(
            actor=request.user, article=article, parent=parent, answer=request.POST.get("answer", "")[:200],
            text=request.POST.get("text", "")[:2000], outcome=request.POST.get("outcome", ""),
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Step added"))
    return _back(article)


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
@require_POST
def step_edit(request: HttpRequest, article_id: int, step_id: int) -> HttpResponse:
    article = _article(article_id)
    step = _step(article, step_id)
    try:
        troubleshooting.update_step(
            actor=request.user, step=step, answer=request.POST.get("answer", "")[:200],
            text=request.POST.get("text", "")[:2000], outcome=request.POST.get("outcome", ""),
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Step saved"))
    return _back(article)


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
@require_POST
def step_remove(request: HttpRequest, article_id: int, step_id: int) -> HttpResponse:
    """Remove a step and everything below it (the page asks for confirmation first)."""
    article = _article(article_id)
    step = _step(article, step_id)
    try:
        removed = troubleshooting.remove_step(actor=request.user, step=step)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(n)s step(s) removed") % {"n": removed})
    return _back(article)
