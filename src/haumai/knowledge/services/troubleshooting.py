"""Writes of troubleshooting trees: add, edit and remove steps, and readers' "did this fix it?" answers.

A troubleshooting article (kind "diagnose") has one first step (the root) and below it a tree: a question
step's answers each lead to a further step; an end step is a fix to try, "book a repair" or "talk to us".
Editing follows the article's rules: editors change drafts, only publishers change a published article.
A published tree must be complete: every question has at least two answers (`check_complete`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from haumai.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from haumai.events.services import record_event
from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, StepOutcome, TroubleshootingStep

MAX_STEPS = 200
MAX_DEPTH = 10
MAX_ANSWERS = 8
MIN_ANSWERS = 2


def _may_edit(actor: Any, article: Article) -> None:
    if not actor.has_perm("knowledge.change_article"):
        raise Forbidden(_("You do not have permission to do this"))
    if article.status == ArticleStatus.PUBLISHED and not actor.has_perm("knowledge.publish_article"):
        raise Forbidden(_("Only a publisher can change a published article"))


def _locked_article(article: Article) -> Article:
    found = Article.objects.select_for_update().filter(pk=article.pk).first()
    if found is None:
        raise NotFound(_("This article no longer exists"))
    if found.kind != ArticleKind.TROUBLESHOOTING:
        raise ValidationFailed(_("Only a troubleshooting article has steps"))
    return found


def _checked(*, answer: str, text: str, outcome: str, has_parent: bool) -> tuple[str, str]:
    answer, text = " ".join(answer.split()), " ".join(text.split())
    errors = []
    if not text:
        errors.append(FieldError("text", _("Write the question or what to do")))
    elif len(text) > 1000:
        errors.append(FieldError("text", _("At most 1,000 characters")))
    if has_parent and not answer:
        errors.append(FieldError("answer", _("Write the answer that leads to this step")))
    elif len(answer) > 120:
        errors.append(FieldError("answer", _("At most 120 characters")))
    if outcome not in StepOutcome.values:
        errors.append(FieldError("outcome", _("Choose what kind of step this is")))
    if errors:
        raise ValidationFailed(_("The step was not saved"), errors)
    return answer, text


def _depth(step: TroubleshootingStep) -> int:
    depth, parent_id = 1, step.parent_id
    parents = dict(TroubleshootingStep.objects.filter(article_id=step.article_id).values_list("id", "parent_id"))
    while parent_id is not None and depth <= MAX_DEPTH + 1:
        depth, parent_id = depth + 1, parents.get(parent_id)
    return depth


def _event(name: str, article: Article, actor: Any, step: TroubleshootingStep) -> None:
    record_event(name=name, subject=article, actor=actor,
                 payload={"title": article.title, "slug": article.slug, "step": step.pk})


@transaction.atomic
def add_step(
    *, actor: Any, article: Article, parent: TroubleshootingStep | None, answer: str, text: str, outcome: str
) -> TroubleshootingStep:
    """Add the first step (no parent) or an answer to a question step, leading to a new step."""
    locked = _locked_article(article)  # serializes edits of one tree; its status as stored now
    _may_edit(actor, locked)
    answer, text = _checked(answer=answer, text=text, outcome=outcome, has_parent=parent is not None)
    steps = TroubleshootingStep.objects.filter(article=locked)
    if steps.count() >= MAX_STEPS:
        raise ValidationFailed(_("A tree has at most %(n)s steps") % {"n": MAX_STEPS})
    position = 0
    if parent is None:
        if steps.filter(parent__isnull=True).exists():
            raise Conflict(_("This article already has a first step"), code="root_exists")
    else:
        parent = steps.filter(pk=parent.pk).first()
        if parent is None:
            raise NotFound(_("This step is not in this article"))
        if parent.outcome != StepOutcome.QUESTION:
            raise ValidationFailed(_("Only a question step has answers"))
        siblings = list(parent.children.values_list("answer", flat=True))
        if len(siblings) >= MAX_ANSWERS:
            raise ValidationFailed(_("A question has at most %(n)s answers") % {"n": MAX_ANSWERS})
        if answer.casefold() in {sibling.casefold() for sibling in siblings}:
            raise ValidationFailed(_("The step was not saved"),
                                   [FieldError("answer", _("This question already has this answer"))])
        if _depth(parent) >= MAX_DEPTH:
            raise ValidationFailed(_("A tree is at most %(n)s steps deep") % {"n": MAX_DEPTH})
        position = len(siblings)
    try:
        with transaction.atomic():
            step = TroubleshootingStep.objects.create(
                article=locked, parent=parent, answer=answer if parent else "", text=text, outcome=outcome,
                position=position,
            )
    except IntegrityError as exc:  # the one-root constraint, if a first step was added meanwhile
        raise Conflict(_("This article already has a first step"), code="root_exists") from exc
    _event("article.step_added", locked, actor, step)
    return step


@transaction.atomic
def update_step(*, actor: Any, step: TroubleshootingStep, answer: str, text: str, outcome: str) -> TroubleshootingStep:
    """Change a step's answer, text or kind (a question with answers stays a question)."""
    _may_edit(actor, _locked_article(step.article))
    found = TroubleshootingStep.objects.filter(pk=step.pk).first()
    if found is None:
        raise NotFound(_("This step no longer exists"))
    answer, text = _checked(answer=answer, text=text, outcome=outcome, has_parent=found.parent_id is not None)
    if outcome != StepOutcome.QUESTION and found.children.exists():
        raise ValidationFailed(_("The step was not saved"),
                               [FieldError("outcome", _("Remove this question's answers before making it an end"))])
    if found.parent_id is not None:
        others = found.parent.children.exclude(pk=found.pk).values_list("answer", flat=True)  # type: ignore[union-attr]
        if answer.casefold() in {other.casefold() for other in others}:
            raise ValidationFailed(_("The step was not saved"),
                                   [FieldError("answer", _("This question already has this answer"))])
    found.answer, found.text, found.outcome = (answer if found.parent_id else ""), text, outcome
    found.save(update_fields=["answer", "text", "outcome"])
    _event("article.step_changed", step.article, actor, found)
    return found


@transaction.atomic
def remove_step(*, actor: Any, step: TroubleshootingStep) -> int:
    """Remove a step and every step below it; returns how many went. A published tree keeps its first step."""
    locked = _locked_article(step.article)
    _may_edit(actor, locked)
    found = TroubleshootingStep.objects.filter(pk=step.pk).first()
    if found is None:
        raise NotFound(_("This step no longer exists"))
    if found.parent_id is None and locked.status == ArticleStatus.PUBLISHED:
        raise ValidationFailed(_("A published troubleshooting article keeps its first step"))
    before = TroubleshootingStep.objects.filter(article=locked).count()
    found.delete()
    removed = before - TroubleshootingStep.objects.filter(article=locked).count()
    _event("article.step_removed", locked, actor, found)
    if found.parent_id is not None and locked.status == ArticleStatus.PUBLISHED:
        check_complete(locked)  # rolls the removal back when it leaves a published question with one answer
    return removed


def check_complete(article: Article) -> None:
    """Refuse a tree with no first step or a question with fewer than two answers (before publishing)."""
    if article.kind != ArticleKind.TROUBLESHOOTING:
        return
    steps = list(TroubleshootingStep.objects.filter(article=article).values_list("id", "parent_id", "outcome", "text"))
    if not any(row[1] is None for row in steps):
        raise ValidationFailed(_("Add the first step of the troubleshooting tree before publishing"))
    answers: dict[int, int] = {}
    for row in steps:
        if row[1] is not None:
            answers[row[1]] = answers.get(row[1], 0) + 1
    short = [
        text for pk, _parent, outcome, text in steps
        if outcome == StepOutcome.QUESTION and answers.get(pk, 0) < MIN_ANSWERS
    ]
    if short:
        raise ValidationFailed(
            _("Every question needs at least two answers: %(question)s") % {"question": short[0][:80]}
        )


def record_fix_answer(*, step: TroubleshootingStep, fixed: bool) -> None:
    """Count a reader's "did this fix it?" at a fix-to-try step of a published article."""
    if step.outcome != StepOutcome.TRY_FIX:
        raise ValidationFailed(_("This step does not ask whether it worked"))
    field = "fixed_count" if fixed else "not_fixed_count"
    TroubleshootingStep.objects.filter(pk=step.pk).update(**{field: F(field) + 1})
