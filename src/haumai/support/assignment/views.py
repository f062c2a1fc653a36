"""Console settings pages for automatic assignment: the teams, and one team's rule with its agents' skills."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haumai.accounts.models import Team
from haumai.core.errors import ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.support.assignment import selectors
from haumai.support.assignment.forms import RuleForm, SkillForm
from haumai.support.models import AgentSkill, AssignmentMode, BusinessCalendar
from haumai.support.services import assignment

PAGE_SIZE = 50
PERMISSION = assignment.MANAGE_PERMISSION


def _apply(form: BaseForm, error: ValidationFailed) -> None:
    fields = list(error.errors)
    placed = False
    for item in fields:
        name = getattr(item, "field", "")
        form.add_error(name if name in form.fields else None, getattr(item, "message", str(item)))
        placed = True
    if not placed:
        form.add_error(None, str(error))


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    """Every team: rule on/off, mode, cap, members and tickets waiting unassigned in its queue."""
    page = page_number(request)
    rows, has_next = page_of(selectors.teams(), page, PAGE_SIZE)
    return render(request, "support/assignment/teams.html", {"teams": rows, "page": page, "has_next": has_next})


def _skill_initial(user: Any) -> dict[str, Any]:
    try:
        skill: AgentSkill | None = user.assignment_skill
    except AgentSkill.DoesNotExist:
        skill = None
    if skill is None:
        return {}
    return {"channels": skill.channels, "tags": ", ".join(skill.tag_keys), "calendar": skill.calendar_id}


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def team_rule(request: HttpRequest, team_id: int) -> HttpResponse:
    """One team's rule and, per agent, the channels, tags and shifts they handle; saved together or not at all."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404
    rule = selectors.rule_for(team)
    initial = ({"enabled": rule.enabled, "mode": rule.mode, "max_open_per_agent": rule.max_open_per_agent,
                "channels": rule.channels} if rule else {"mode": AssignmentMode.ROUND_ROBIN})  # fmt: skip
    people = selectors.members(team)
    data = request.POST if request.method == "POST" else None
    form = RuleForm(data, initial=initial)
    calendars = {c.pk: c for c in BusinessCalendar.objects.order_by("name")}
    skills = [(user, SkillForm(data, prefix=f"agent-{user.pk}", initial=_skill_initial(user), calendars=calendars))
              for user in people]  # fmt: skip
    valid = request.method == "POST" and form.is_valid() and all(f.is_valid() for _u, f in skills)
    if valid and _save(request, team, form, skills):
        messages.success(request, _("Assignment rule saved."))
        return redirect("support_assignment:team", team_id=team.pk)
    invalid = bool(form.errors) or any(f.errors for _u, f in skills)
    return render(request, "support/assignment/team.html", {
        "team": team, "rule": rule, "form": form, "skills": skills,
        "waiting": selectors.waiting_in_queue(team),
    }, status=422 if invalid else 200)  # fmt: skip


def _save(request: HttpRequest, team: Team, form: RuleForm, skills: list[tuple[Any, SkillForm]]) -> bool:
    current: BaseForm = form
    try:
        with transaction.atomic():
            data = form.cleaned_data
            assignment.save_rule(actor=request.user, team=team, enabled=bool(data["enabled"]), mode=data["mode"],
                                 max_open_per_agent=data["max_open_per_agent"], channels=data["channels"] or [])
            for user, skill_form in skills:
                current = skill_form
                cleaned = skill_form.cleaned_data
                assignment.save_skills(actor=request.user, user=user, channels=cleaned["channels"] or [],
                                       tags=skill_form.tag_list(), calendar=skill_form.chosen_calendar())
    except ValidationFailed as error:
        _apply(current, error)
        return False
    return True
