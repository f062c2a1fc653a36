"""Reads of surveys: the public form, console lists, the customer-360 and subject panels."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.errors import NotFound
from haumai.core.text import search_key
from haumai.surveys.models import (
    FollowUp,
    FollowUpStatus,
    Invitation,
    Response,
    SubjectKind,
    Survey,
    SurveyKind,
)
from haumai.surveys.services import question_labels

SCALE_LABELS = {
    "csat": (gettext_lazy("Very dissatisfied"), gettext_lazy("Very satisfied")),
    "nps": (gettext_lazy("Not at all likely"), gettext_lazy("Extremely likely")),
    "ces": (gettext_lazy("Very easy"), gettext_lazy("Very difficult")),
}


def about(subject_kind: str, subject_code: str) -> str:
    """What an invitation rates, as a sentence fragment for the customer."""
    if not subject_code:
        return ""
    texts = {
        SubjectKind.ORDER: _("About order %(code)s"),
        SubjectKind.RETURN: _("About return %(code)s"),
        SubjectKind.TICKET: _("About support request %(code)s"),
        SubjectKind.REPAIR: _("About repair %(code)s"),
    }
    return texts.get(subject_kind, "%(code)s") % {"code": subject_code}  # type: ignore[call-overload]


def form_for(invitation: Invitation, language: str, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Everything the public form shows, in the customer's language."""
    survey = invitation.survey
    english = language == "en"
    span = survey.score_range
    low, high = SCALE_LABELS.get(survey.kind, ("", ""))
    questions = []
    for question in survey.questions.all():
        labels = question_labels(question, language)
        name = f"q{question.pk}"
        questions.append(
            {
                "name": name,
                "kind": question.kind,
                "text": labels["text"],
                "choices": labels["choices"],
                "scale": list(range(question.scale_min, question.scale_max + 1)),
                "required": question.required,
                "value": values.get(name, ""),
                "error": errors.get(name, ""),
            }
        )
    return {
        "title": survey.name,
        "about": about(invitation.subject_kind, invitation.subject_code),
        "question": (survey.question_en if english and survey.question_en else survey.question_vi),
        "why": (survey.why_en if english and survey.why_en else survey.why_vi),
        "scale": list(range(span[0], span[1] + 1)) if span else [],
        "low_label": str(low),
        "high_label": str(high),
        "questions": questions,
    }


def survey_list() -> QuerySet[Survey]:
    """All surveys by name."""
    return Survey.objects.order_by("name")


def survey_by_key(key: str) -> Survey:
    """One survey with its questions, or NotFound."""
    survey = Survey.objects.prefetch_related("questions").filter(key=key).first()
    if survey is None:
        raise NotFound(_("No such survey"))
    return survey


def active_survey_keys() -> list[str]:
    """Keys of the surveys a journey may send."""
    return list(Survey.objects.filter(is_active=True).order_by("key").values_list("key", flat=True))


def surveys_by_key(keys: set[str]) -> dict[str, Survey]:
    """Surveys by key (one query)."""
    return {s.key: s for s in Survey.objects.filter(key__in=keys)}


def response_list(
    *,
    kind: str = "",
    survey_key: str = "",
    q: str = "",
    low_only: bool = False,
    subject_kind: str = "",
    since: Any = None,
    until: Any = None,
) -> QuerySet[Response]:
    """Responses newest first, filtered; `q` finds comments (diacritics ignored), customer names and codes."""
    rows = Response.objects.select_related("customer", "survey", "invitation", "follow_up")
    if kind in SurveyKind.values:
        rows = rows.filter(kind=kind)
    if survey_key:
        rows = rows.filter(survey__key=survey_key)
    if low_only:
        rows = rows.filter(is_low=True)
    if subject_kind in SubjectKind.values:
        rows = rows.filter(subject_kind=subject_kind)
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    text = q.strip()
    if text:
        key = search_key(text)
        rows = rows.filter(
            Q(comment_key__contains=key)
            | Q(customer__search_key__contains=key)
            | Q(subject_code=text.upper())
            | Q(invitation__code=text.upper())
        )
    return rows.order_by("-submitted_at", "-id")


def response_detail(invitation_code: str) -> Response:
    """One response by its invitation code, with answers and follow-up."""
    response = (
        Response.objects.select_related("customer", "survey", "invitation")
        .prefetch_related("answers__question")
        .filter(invitation__code=invitation_code)
        .first()
    )
    if response is None:
        raise NotFound(_("No such response"))
    return response


def follow_up_queue(*, status: str = FollowUpStatus.OPEN, mine: Any = None) -> QuerySet[FollowUp]:
    """Follow-ups oldest first; `open` includes those in progress."""
    rows = FollowUp.objects.select_related("customer", "response__survey", "response__invitation", "assignee", "team")
    if status == FollowUpStatus.DONE:
        rows = rows.filter(status=FollowUpStatus.DONE).order_by("-closed_at", "-id")
    else:
        rows = rows.exclude(status=FollowUpStatus.DONE).order_by("created_at", "id")
    if mine is not None:
        rows = rows.filter(assignee=mine)
    return rows


def follow_up_by_code(code: str) -> FollowUp:
    """One follow-up, or NotFound."""
    follow_up = (
        FollowUp.objects.select_related("customer", "response__survey", "response__invitation", "assignee", "team")
        .filter(code=code.upper())
        .first()
    )
    if follow_up is None:
        raise NotFound(_("No such follow-up"))
    return follow_up


def open_follow_ups() -> QuerySet[FollowUp]:
    """Follow-ups not closed (the nav badge)."""
    return FollowUp.objects.exclude(status=FollowUpStatus.DONE)


def customer_responses(customer: Any, *, limit: int) -> list[Response]:
    """A customer's newest responses."""
    return list(
        Response.objects.filter(customer=customer)
        .select_related("survey", "invitation")
        .order_by("-submitted_at", "-id")[:limit]
    )


def subject_responses(subject_kind: str, subject_code: str, *, limit: int = 10) -> list[Response]:
    """Responses about one order/return/ticket/repair (its detail page shows them)."""
    return list(
        Response.objects.filter(subject_kind=subject_kind, subject_code=subject_code)
        .select_related("survey", "invitation", "follow_up")
        .order_by("-submitted_at", "-id")[:limit]
    )


def invitation_for_delivery(delivery_id: int) -> Invitation | None:
    """The invitation a message carried, if any."""
    return Invitation.objects.filter(delivery_id=delivery_id).first()


def daily_score_facts(start: Any, end: Any) -> dict[str, dict[str, int]]:
    """Per survey kind, responses submitted in [start, end): n, hits (CSAT 4-5 / NPS 9-10), misses (NPS 0-6),
    total (sum of scores). One grouped query."""
    from django.db.models import Count, Sum

    rows = (
        Response.objects.filter(submitted_at__gte=start, submitted_at__lt=end, score__isnull=False)
        .values("kind")
        .annotate(
            n=Count("id"),
            csat_hits=Count("id", filter=Q(kind="csat", score__gte=4)),
            promoters=Count("id", filter=Q(kind="nps", score__gte=9)),
            detractors=Count("id", filter=Q(kind="nps", score__lte=6)),
            total=Sum("score"),
        )
        .order_by()
    )
    facts = {}
    for row in rows:
        hits = row["csat_hits"] if row["kind"] == "csat" else row["promoters"]
        facts[row["kind"]] = {"n": row["n"], "hits": hits, "misses": row["detractors"], "total": row["total"] or 0}
    return facts


def earliest_response() -> Any:
    """When the first answer came in (where KPI history can start), or None."""
    return Response.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first()
