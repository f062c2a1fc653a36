"""Console settings pages for SLA: business calendars (shifts, closed days, holiday preview) and policies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core import clock
from haumai.core.paging import page_number, page_of
from haumai.support.models import BusinessCalendar, SlaPolicy
from haumai.support.sla import selectors, services
from haumai.support.sla.forms import CalendarForm, ClosedDayForm, PolicyForm, ShiftsForm
from haumai.support.sla.holidays_vn import vietnam_holidays
from haumai.support.sla.services import SlaSettingsInvalid

PAGE_SIZE = 50


def _field_error(form: BaseForm, error: SlaSettingsInvalid) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _load_calendar(pk: int) -> BusinessCalendar:
    calendar = selectors.calendar_detail(pk)
    if calendar is None:
        raise Http404
    return calendar


@login_required
@permission_required("support.view_businesscalendar", raise_exception=True)
@require_GET
def calendar_list(request: HttpRequest) -> HttpResponse:
    """Business calendars, the default first; paginated."""
    page = page_number(request)
    rows, has_next = page_of(selectors.calendars(), page, PAGE_SIZE)
    return render(request, "support/sla/calendars.html", {"calendars": rows, "page": page, "has_next": has_next})


@login_required
@permission_required("support.add_businesscalendar", raise_exception=True)
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    """A new calendar: its header first, then shifts and closed days on its page."""
    form = CalendarForm(request.POST or None, initial={"vietnam_holidays": True})
    if request.method == "POST" and form.is_valid():
        try:
            calendar = services.save_calendar(actor=request.user, **form.cleaned_data)
        except SlaSettingsInvalid as error:
            _field_error(form, error)
        else:
            services.set_shifts(actor=request.user, calendar=calendar, shifts=_default_shifts())
            messages.success(request, _("Calendar created with office hours; adjust its shifts below."))
            return redirect("support_sla:calendar", pk=calendar.pk)
    return render(request, "support/sla/calendar_form.html", {"form": form}, status=422 if form.errors else 200)


def _default_shifts() -> list[Any]:
    from haumai.support.sla.calendar import VIETNAM_DEFAULT_SHIFTS
    from haumai.support.sla.forms import parse_ranges

    return [
        (day, start, end)
        for day, ranges in VIETNAM_DEFAULT_SHIFTS.items()
        for start, end in parse_ranges(", ".join(f"{a}-{b}" for a, b in ranges))
    ]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = clock.today().year
    return int(raw) if raw.isdigit() and today - 5 <= int(raw) <= today + 10 else today


def _calendar_page(
    request: HttpRequest,
    calendar: BusinessCalendar,
    *,
    header: CalendarForm | None = None,
    shifts: ShiftsForm | None = None,
    closed: ClosedDayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    language = getattr(request, "LANGUAGE_CODE", "") or "vi"
    context = {
        "calendar": calendar,
        "header": header
        or CalendarForm(
            initial={
                "name": calendar.name,
                "code": calendar.code,
                "time_zone": calendar.time_zone,
                "team": calendar.team_id,
                "is_default": calendar.is_default,
                "vietnam_holidays": calendar.vietnam_holidays,
            }
        ),
        "shifts_form": shifts or ShiftsForm(initial=ShiftsForm.initial_for(calendar.shifts.all())),
        "closed_form": closed or ClosedDayForm(),
        "week": selectors.week_summary(calendar),
        "closed_days": list(calendar.closed_days.all()),
        "year": year,
        "years": [year - 1, year, year + 1],
        "holidays": vietnam_holidays([year], language=language),
        "can_change": request.user.has_perm("support.change_businesscalendar"),
    }
    return render(request, "support/sla/calendar.html", context, status=status)


@login_required
@permission_required("support.view_businesscalendar", raise_exception=True)
@require_GET
def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One calendar: header, weekly shifts, closed days and the year's public holidays (Tết marked)."""
    return _calendar_page(request, _load_calendar(pk))


@login_required
@permission_required("support.change_businesscalendar", raise_exception=True)
@require_POST
def calendar_update(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Save one part of a calendar (header, shifts, closed day add/remove); errors stay beside the field."""
    calendar = _load_calendar(pk)
    try:
        if part == "header":
            header = CalendarForm(request.POST)
            if not header.is_valid():
                return _calendar_page(request, calendar, header=header, status=422)
            try:
                services.save_calendar(actor=request.user, calendar=calendar, **header.cleaned_data)
            except SlaSettingsInvalid as error:
                _field_error(header, error)
                return _calendar_page(request, _load_calendar(pk), header=header, status=422)
        elif part == "shifts":
            shifts = ShiftsForm(request.POST)
            if not shifts.is_valid():
                return _calendar_page(request, calendar, shifts=shifts, status=422)
            try:
                services.set_shifts(actor=request.user, calendar=calendar, shifts=shifts.cleaned_data["shifts"])
            except SlaSettingsInvalid as error:
                shifts.add_error(None, error.message)
                return _calendar_page(request, calendar, shifts=shifts, status=422)
        elif part == "closed":
            closed = ClosedDayForm(request.POST)
            if not closed.is_valid():
                return _calendar_page(request, calendar, closed=closed, status=422)
            try:
                services.add_closed_day(actor=request.user, calendar=calendar, **closed.cleaned_data)
            except SlaSettingsInvalid as error:
                _field_error(closed, error)
                return _calendar_page(request, calendar, closed=closed, status=422)
        elif part == "reopen":
            raw = request.POST.get("day", "")
            services.remove_closed_day(actor=request.user, calendar=calendar, day_id=int(raw) if raw.isdigit() else 0)
        else:
            raise Http404
    except SlaSettingsInvalid as error:
        messages.error(request, error.message)
        return redirect("support_sla:calendar", pk=pk)
    messages.success(request, _("Calendar saved; open tickets' deadlines are being recalculated."))
    return redirect("support_sla:calendar", pk=pk)


@login_required
@permission_required("support.view_slapolicy", raise_exception=True)
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    """SLA policies, active first; paginated."""
    page = page_number(request)
    rows, has_next = page_of(selectors.policies(), page, PAGE_SIZE)
    names = selectors.segment_names({p.segment_code for p in rows if p.segment_code})
    for policy in rows:
        policy.segment_name = names.get(policy.segment_code, policy.segment_code)
    return render(
        request,
        "support/sla/policies.html",
        {
            "policies": rows,
            "page": page,
            "has_next": has_next,
            "defaults": selectors.DEFAULT_TARGETS,
            "can_add": request.user.has_perm("support.add_slapolicy"),
        },
    )


def _policy_form(request: HttpRequest, policy: SlaPolicy | None) -> HttpResponse:
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
        try:
            services.save_policy(actor=request.user, policy=policy, **values)
        except SlaSettingsInvalid as error:
            _field_error(form, error)
        else:
            messages.success(request, _("SLA policy saved; open tickets' deadlines are being recalculated."))
            return redirect("support_sla:policies")
    return render(
        request, "support/sla/policy_form.html", {"form": form, "policy": policy}, status=422 if form.errors else 200
    )


@login_required
@permission_required("support.add_slapolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    """A new SLA policy."""
    return _policy_form(request, None)


@login_required
@permission_required("support.change_slapolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an SLA policy (its targets, scope, warning level, active flag)."""
    policy = SlaPolicy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404
    return _policy_form(request, policy)
