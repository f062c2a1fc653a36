"""Console pages of on-site visits (the technician's list, planning, outcome) and maintenance due."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.selectors import shown_phone
from haumai.core import clock
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.customers.models import Address
from haumai.privacy import audit
from haumai.repairs.booking import forms, maintenance, selectors, visits
from haumai.repairs.booking.appointment_views import find_customer
from haumai.repairs.models import MaintenanceSchedule, OnSiteVisit, VisitOutcome, VisitStatus

PAGE_SIZE = 30


def _load(code: str) -> OnSiteVisit:
    try:
        return selectors.visit_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, details or exc.message)


@login_required
@permission_required("repairs.view_onsitevisit", raise_exception=True)
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    """Visits soonest first; technicians see their own by default (?all=1 for everyone's)."""
    mine = request.GET.get("all") != "1" and request.user.groups.filter(name="technician").exists()
    status = request.GET.get("status", VisitStatus.SCHEDULED)
    status = status if status in VisitStatus.values else ""
    query = request.GET.get("q", "").strip()[:64]
    page = page_number(request)
    rows, has_next = page_of(
        selectors.visit_list(technician=request.user if mine else None, status=status, q=query), page, PAGE_SIZE
    )
    context = {
        "rows": [(v, shown_phone(request.user, v.customer.phone)) for v in rows], "has_next": has_next,
        "page": page, "mine": mine, "status": status, "query": query, "statuses": VisitStatus.choices,
    }  # fmt: skip
    audit.contact_shown(request, target="visits", page="visits", rows=len(rows))
    return render(request, "repairs/booking/visits.html", context)


@login_required
@permission_required("repairs.view_onsitevisit", raise_exception=True)
@require_GET
def visit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One visit: where, when, who, and the outcome form for its technician."""
    visit = _load(code)
    context = {
        "visit": visit, "phone": shown_phone(request.user, visit.customer.phone),
        "outcomes": VisitOutcome.choices, "is_mine": visit.technician_id == request.user.pk,
        "technicians": visits.technicians() if request.user.has_perm("repairs.change_onsitevisit") else [],
    }  # fmt: skip
    audit.contact_shown(request, customer=visit.customer, target=visit.code, page="visit")
    return render(request, "repairs/booking/visit.html", context)


@login_required
@permission_required("repairs.add_onsitevisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    """Plan a visit for a customer (by code or phone) at one of their addresses."""
    source = request.POST if request.method == "POST" else request.GET
    customer_text = source.get("customer", "")[:32]
    customer = find_customer(customer_text)
    addresses = list(Address.objects.filter(customer=customer).select_related("province", "ward")) if customer else []
    techs = visits.technicians()
    errors: dict[str, str] = {}
    if customer_text and customer is None:
        errors["customer"] = _("No customer with this code or phone")
    if request.method == "POST" and customer is not None:
        address = next((a for a in addresses if str(a.pk) == source.get("address", "")), None)
        tech_id = source.get("technician", "")
        technician = next((t for t in techs if str(t.pk) == tech_id), None)
        try:
            start = forms.parse_local(source.get("day", ""), source.get("start", ""), "window_start")
            end = forms.parse_local(source.get("day", ""), source.get("end", ""), "window_end")
            if tech_id and technician is None:
                raise visits.refuse("technician", _("This user is not an active technician"), "not_technician")
            visit = visits.schedule_visit(
                actor=request.user, customer=customer, address=address, window_start=start, window_end=end,
                technician=technician, reason=source.get("reason", "")[:500],
            )  # fmt: skip
        except DomainError as exc:
            errors.update({e.field: e.message for e in exc.errors} or {"": exc.message})
        else:
            messages.success(request, _("Visit %(code)s planned.") % {"code": visit.code})
            return redirect("booking:visit", code=visit.code)
    context = {
        "customer": customer, "customer_text": customer_text, "addresses": addresses, "technicians": techs,
        "errors": errors, "values": source, "today": clock.today().isoformat(),
    }  # fmt: skip
    return render(request, "repairs/booking/visit_new.html", context, status=400 if errors else 200)


@login_required
@permission_required("repairs.record_visit_outcome", raise_exception=True)
@require_POST
def visit_outcome(request: HttpRequest, code: str) -> HttpResponse:
    """The assigned technician records the outcome."""
    visit = _load(code)
    try:
        visits.record_outcome(actor=request.user, visit=visit, outcome=request.POST.get("outcome", ""),
                              notes=request.POST.get("notes", "")[:4000])  # fmt: skip
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect("booking:visit", code=visit.code)


@login_required
@permission_required("repairs.change_onsitevisit", raise_exception=True)
@require_POST
def visit_assign(request: HttpRequest, code: str) -> HttpResponse:
    """Give a scheduled visit to a technician who is free in its window."""
    visit = _load(code)
    chosen = request.POST.get("technician", "")
    technician = next((t for t in visits.technicians() if str(t.pk) == chosen), None)
    try:
        if technician is None:
            raise visits.refuse("technician", _("Choose an active technician"), "not_technician")
        visits.assign_technician(actor=request.user, visit=visit, technician=technician)
    except DomainError as exc:
        _refused(request, exc)
    else:
        name = technician.get_full_name() or technician.username
        messages.success(request, _("Visit assigned to %(name)s.") % {"name": name})
    return redirect("booking:visit", code=visit.code)


@login_required
@permission_required("repairs.change_onsitevisit", raise_exception=True)
@require_POST
def visit_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Cancel a scheduled visit."""
    visit = _load(code)
    try:
        visits.cancel_visit(actor=request.user, visit=visit, reason=request.POST.get("reason", "")[:300])
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Visit cancelled."))
    return redirect("booking:visit", code=visit.code)


@login_required
@permission_required("repairs.view_maintenanceschedule", raise_exception=True)
@require_GET
def maintenance_list(request: HttpRequest) -> HttpResponse:
    """Maintenance due within 30 days (or all with ?all=1), soonest first; paginated."""
    show_all = request.GET.get("all") == "1"
    due_before = None if show_all else clock.today() + dt.timedelta(days=30)
    page = page_number(request)
    rows, has_next = page_of(selectors.schedule_list(due_before=due_before), page, PAGE_SIZE)
    context = {"rows": rows, "has_next": has_next, "page": page, "show_all": show_all, "today": clock.today()}
    return render(request, "repairs/booking/maintenance.html", context)


@login_required
@permission_required("repairs.record_maintenance", raise_exception=True)
@require_POST
def maintenance_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a maintenance as done today; the next one moves one interval on."""
    schedule = MaintenanceSchedule.objects.filter(pk=pk).first()
    if schedule is None:
        raise Http404("No schedule")
    try:
        maintenance.record_done(actor=request.user, schedule=schedule, note=request.POST.get("note", "")[:500])
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Maintenance recorded."))
    return redirect("booking:maintenance")


