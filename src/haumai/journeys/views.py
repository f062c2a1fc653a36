"""Console views of journeys: list, builder, runs (per journey and per customer), care task queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError, NotFound, ValidationFailed
from haumai.core.paging import page_number
from haumai.customers.selectors import customer_by_code
from haumai.journeys import rewarding, selectors, sending, services, surveying
from haumai.journeys.forms import apply_row_action, errors_by_field, parse_journey, step_rows
from haumai.journeys.labels import category_labels, template_labels, trigger_event_choices
from haumai.journeys.models import (
    BranchCondition,
    JourneyRun,
    Purpose,
    RunStatus,
    StepKind,
    TaskStatus,
    TriggerKind,
)
from haumai.journeys.rules import KNOWN_CHANNELS

PAGE_SIZE = 25


def _slice(queryset: Any, page: int) -> tuple[list[Any], bool]:
    rows = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
@require_GET
def journey_index(request: HttpRequest) -> HttpResponse:
    """All journeys with their trigger and step count."""
    context = {"journeys": list(selectors.journey_list()), "category_labels": category_labels()}
    return render(request, "journeys/list.html", context)


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
@require_GET
def journey_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One journey: trigger, conditions, rules, steps, runs per status."""
    journey = _journey_or_404(key)
    context = {
        "journey": journey,
        "steps": list(journey.steps.all()),
        "counts": selectors.run_status_counts(journey),
        "template_labels": template_labels(),
        "category_labels": category_labels(),
    }
    return render(request, "journeys/detail.html", context)


def _journey_or_404(key: str) -> Any:
    try:
        return selectors.journey_by_key(key)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _builder_context(data: services.JourneyInput, errors: list[Any], *, creating: bool) -> dict[str, Any]:
    by_field = errors_by_field(errors)
    names = template_labels()
    campaigns = rewarding.campaign_choices()
    return {
        "data": data,
        "channel_order_text": ", ".join(data.channel_order),
        "errors": by_field,
        "rows": step_rows(data, by_field),
        "creating": creating,
        "trigger_kinds": TriggerKind.choices,
        "purposes": Purpose.choices,
        "step_kinds": StepKind.choices,
        "branch_conditions": BranchCondition.choices,
        "template_keys": sorted(((key, names.get(key, key)) for key in sending.known_template_keys()),
                                key=lambda choice: choice[1]),
        "template_labels": names,
        "trigger_events": trigger_event_choices(),
        "survey_keys": sorted(surveying.known_survey_keys()),
        "voucher_campaigns": campaigns,
        "voucher_campaign_codes": [code for code, _name in campaigns],
        "channels": KNOWN_CHANNELS,
    }


@login_required
@permission_required("journeys.add_journey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def journey_create(request: HttpRequest) -> HttpResponse:
    """The builder for a new journey."""
    if request.method == "GET":
        data = services.JourneyInput(key="", name="", steps=[services.StepInput(kind="send")])
        return render(request, "journeys/builder.html", _builder_context(data, [], creating=True))
    return _builder_post(request, journey=None)


@login_required
@permission_required("journeys.change_journey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def journey_edit(request: HttpRequest, key: str) -> HttpResponse:
    """The builder for an existing journey: trigger, conditions, ordered steps, rules."""
    journey = _journey_or_404(key)
    if request.method == "GET":
        data = services.journey_input(journey)
        return render(request, "journeys/builder.html", _builder_context(data, [], creating=False))
    return _builder_post(request, journey=journey)


def _builder_post(request: HttpRequest, *, journey: Any) -> HttpResponse:
    data, errors = parse_journey(request.POST, key=journey.key if journey else None)
    action = request.POST.get("action", "save")
    if action != "save":
        apply_row_action(data, action)
        return render(request, "journeys/builder.html", _builder_context(data, [], creating=journey is None))
    if not errors:
        try:
            saved = services.save_journey(actor=request.user, data=data, journey=journey)
        except ValidationFailed as exc:
            errors = exc.errors or []
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Journey saved"))
            return redirect("journeys:detail", key=saved.key)
    else:
        messages.error(request, _("The journey was not saved: fix the marked fields"))
    context = _builder_context(data, errors, creating=journey is None)
    return render(request, "journeys/builder.html", context, status=422)


@login_required
@permission_required("journeys.view_journeyrun", raise_exception=True)
@require_GET
def journey_runs(request: HttpRequest, key: str) -> HttpResponse:
    """A journey's runs, newest first, each with its step runs and why steps were skipped."""
    journey = _journey_or_404(key)
    status = request.GET.get("status", "")
    if status not in RunStatus.values:
        status = ""
    page = page_number(request)
    runs, has_next = _slice(selectors.runs_for_journey(journey, status=status), page)
    context = {
        "journey": journey,
        "runs": selectors.with_step_runs(runs),
        "template_labels": template_labels(),
        "status": status,
        "statuses": RunStatus.choices,
        "page": page,
        "has_next": has_next,
    }
    return render(request, "journeys/runs.html", context)


@login_required
@permission_required("journeys.view_journeyrun", raise_exception=True)
@require_GET
def run_detail(request: HttpRequest, key: str, run_id: int) -> HttpResponse:
    """One run with every step run."""
    run = JourneyRun.objects.select_related("journey", "customer").filter(pk=run_id, journey__key=key).first()
    if run is None:
        raise Http404(_("No such run"))
    context = {"run": selectors.with_step_runs([run])[0], "template_labels": template_labels()}
    return render(request, "journeys/run_detail.html", context)


@login_required
@permission_required("journeys.view_journeyrun", raise_exception=True)
@require_GET
def customer_runs(request: HttpRequest, code: str) -> HttpResponse:
    """Every journey run of one customer."""
    try:
        customer = customer_by_code(code)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    page = page_number(request)
    runs, has_next = _slice(selectors.runs_for_customer(customer.pk), page)
    context = {
        "customer": customer,
        "runs": selectors.with_step_runs(runs),
        "template_labels": template_labels(),
        "page": page,
        "has_next": has_next,
    }
    return render(request, "journeys/customer_runs.html", context)


@login_required
@permission_required("journeys.view_caretask", raise_exception=True)
@require_GET
def task_queue(request: HttpRequest) -> HttpResponse:
    """Care tasks created by journeys, oldest first."""
    status = TaskStatus.DONE if request.GET.get("status") == TaskStatus.DONE else TaskStatus.OPEN
    page = page_number(request)
    tasks, has_next = _slice(selectors.open_tasks(status=status), page)
    context = {"tasks": tasks, "status": status, "page": page, "has_next": has_next}
    return render(request, "journeys/tasks.html", context)


@login_required
@permission_required("journeys.change_caretask", raise_exception=True)
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    """Mark a care task done."""
    try:
        services.complete_task(actor=request.user, task_id=task_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Task done"))
    return redirect("journeys:tasks")
