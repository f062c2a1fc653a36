"""Console pages of surveys: surveys (list, edit), answers (filters, search, pages), the follow-up queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.models import Team
from haumai.accounts.selectors import shown_phone
from haumai.core import clock
from haumai.core.errors import DomainError, NotFound, ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.surveys import selectors, services
from haumai.surveys.models import FollowUp, FollowUpStatus, SubjectKind, SurveyKind

PAGE_SIZE = 25
MAX_DAYS = 3660


def _start(day: dt.date) -> dt.datetime:
    """Midnight of a day in Asia/Ho_Chi_Minh (the product's day boundary)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)


def _day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """Every survey with its kind and switch."""
    return render(request, "surveys/list.html", {"surveys": list(selectors.survey_list())})


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Edit a survey's wording (vi/en), link lifetime and switch; errors beside the fields."""
    try:
        survey = selectors.survey_by_key(key[:60])
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    errors: dict[str, str] = {}
    values = {name: getattr(survey, name) for name in ("name", "question_vi", "question_en", "why_vi", "why_en")}
    values["valid_days"] = str(survey.valid_days)
    values["is_active"] = survey.is_active
    if request.method == "POST":
        if not request.user.has_perm("surveys.change_survey"):
            return render(request, "console/forbidden.html", status=403)
        post = request.POST
        values = {name: post.get(name, "")[:400] for name in ("name", "question_vi", "question_en", "why_vi", "why_en")}
        values["valid_days"] = post.get("valid_days", "")[:6]
        values["is_active"] = post.get("is_active") == "on"
        days = int(values["valid_days"]) if str(values["valid_days"]).isdigit() else 0
        try:
            services.save_survey(
                actor=request.user,
                survey=survey,
                data=services.SurveyInput(
                    name=str(values["name"]),
                    question_vi=str(values["question_vi"]),
                    question_en=str(values["question_en"]),
                    why_vi=str(values["why_vi"]),
                    why_en=str(values["why_en"]),
                    valid_days=days,
                    is_active=bool(values["is_active"]),
                ),
            )
        except ValidationFailed as exc:
            errors = {error.field: error.message for error in exc.errors}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("surveys:edit", key=survey.key)
    context = {
        "survey": survey,
        "values": values,
        "errors": errors,
        "questions": list(survey.questions.all()),
        "can_change": request.user.has_perm("surveys.change_survey"),
    }
    return render(request, "surveys/edit.html", context, status=422 if errors else 200)


@login_required
@permission_required("surveys.view_response", raise_exception=True)
@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    """Answers newest first, by kind, survey, subject, low score, date range and text; paginated."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in SurveyKind.values else ""
    subject = request.GET.get("subject", "")
    subject = subject if subject in SubjectKind.values else ""
    survey_key = request.GET.get("survey", "")[:60]
    query = request.GET.get("q", "").strip()[:80]
    low = request.GET.get("low") == "1"
    since, until = _day(request.GET.get("since", "")), _day(request.GET.get("until", ""))
    error = ""
    if since and until and (until < since or (until - since).days > MAX_DAYS):
        error = _("Choose an end date after the start date, at most 10 years later.")
        since = until = None
    page = page_number(request)
    rows, has_next = page_of(
        selectors.response_list(
            kind=kind,
            survey_key=survey_key,
            q=query,
            low_only=low,
            subject_kind=subject,
            since=_start(since) if since else None,
            until=_start(until + dt.timedelta(days=1)) if until else None,
        ),
        page,
        PAGE_SIZE,
    )
    context = {
        "rows": rows,
        "has_next": has_next,
        "page": page,
        "kind": kind,
        "subject": subject,
        "survey_key": survey_key,
        "query": query,
        "low": low,
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
        "kinds": SurveyKind.choices,
        "subjects": SubjectKind.choices,
        "surveys": list(selectors.survey_list()),
        "error": error,
    }
    return render(request, "surveys/responses.html", context)


@login_required
@permission_required("surveys.view_response", raise_exception=True)
@require_GET
def response_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One answer with its questions, the customer and the follow-up."""
    try:
        response = selectors.response_detail(code[:24].upper())
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    follow_up = getattr(response, "follow_up", None) if hasattr(response, "follow_up") else None
    context = {
        "response": response,
        "follow_up": follow_up,
        "phone": shown_phone(request.user, response.customer.phone),
        "answers": list(response.answers.all()),
    }
    return render(request, "surveys/response.html", context)


@login_required
@permission_required("surveys.view_followup", raise_exception=True)
@require_GET
def follow_up_queue(request: HttpRequest) -> HttpResponse:
    """Follow-ups to do (oldest first) or done (newest first); "mine" narrows to the signed-in user."""
    status = FollowUpStatus.DONE if request.GET.get("status") == FollowUpStatus.DONE else FollowUpStatus.OPEN
    mine = request.GET.get("mine") == "1"
    page = page_number(request)
    rows, has_next = page_of(
        selectors.follow_up_queue(status=status, mine=request.user if mine else None), page, PAGE_SIZE
    )
    context = {"rows": rows, "has_next": has_next, "page": page, "status": status, "mine": mine}
    return render(request, "surveys/follow_ups.html", context)


def _load_follow_up(code: str) -> FollowUp:
    try:
        return selectors.follow_up_by_code(code[:24])
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
@permission_required("surveys.view_followup", raise_exception=True)
@require_GET
def follow_up_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One follow-up: the answer, the customer's phone (masked by role), assign and close."""
    follow_up = _load_follow_up(code)
    context = {
        "follow_up": follow_up,
        "response": follow_up.response,
        "phone": shown_phone(request.user, follow_up.customer.phone),
        "staff": list(get_user_model().objects.filter(is_active=True).order_by("username")[:200]),
        "teams": list(Team.objects.order_by("name")),
        "can_change": request.user.has_perm("surveys.change_followup"),
    }
    return render(request, "surveys/follow_up.html", context)


@login_required
@permission_required("surveys.change_followup", raise_exception=True)
@require_POST
def follow_up_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Assign (to a person/team, or to me) or close a follow-up; refusals change nothing."""
    follow_up = _load_follow_up(code)
    try:
        if name == "assign":
            user_id, team_id = request.POST.get("assignee", ""), request.POST.get("team", "")
            assignee: Any = (
                get_user_model().objects.filter(pk=int(user_id), is_active=True).first() if user_id.isdigit() else None
            )
            team = Team.objects.filter(pk=int(team_id)).first() if team_id.isdigit() else None
            if request.POST.get("me") == "1":
                assignee = request.user
            services.assign_follow_up(actor=request.user, follow_up=follow_up, assignee=assignee, team=team)
            messages.success(request, _("Follow-up assigned."))
        elif name == "close":
            services.close_follow_up(actor=request.user, follow_up=follow_up, note=request.POST.get("note", "")[:4000])
            messages.success(request, _("Follow-up closed."))
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        messages.error(request, f"{exc.message}: {details}" if details else exc.message)
    return redirect("surveys:follow_up", code=follow_up.code)
