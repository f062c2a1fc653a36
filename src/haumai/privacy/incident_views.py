"""Console pages of personal-data breach incidents: the list with the notification clock, a new incident,
one incident with its actions, and the printable notices (to the authority, to the affected customers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.console.timeline import build_timeline
from haumai.core import clock
from haumai.core.clock import LOCAL_TZ
from haumai.core.errors import DomainError
from haumai.core.paging import page_number, page_of
from haumai.events.selectors import event_list
from haumai.privacy import conf, incidents
from haumai.privacy.models import Incident, IncidentStatus

PAGE_SIZE = 25
AUDIENCES = {"authority": "privacy/notice_authority.html", "customers": "privacy/notice_customers.html"}


def _load(code: str) -> Incident:
    incident = Incident.objects.select_related("owner").filter(code=code[:24].upper()).first()
    if incident is None:
        raise Http404("No incident")
    return incident


def clock_of(incident: Incident) -> dict[str, Any]:
    """Hours left to notify the authority (negative when late); None once notified."""
    if incident.authority_notified_at is not None:
        late = incident.authority_notified_at > incident.notify_by
        return {"hours": None, "late": late, "tone": "danger" if late else "success"}
    hours = (incident.notify_by - clock.now()).total_seconds() / 3600
    return {"hours": int(hours), "late": hours < 0, "tone": "danger" if hours < 12 else "warning"}


def _moment(raw: str) -> dt.datetime | None:
    """A datetime-local field (Vietnam time) as an aware moment."""
    try:
        return dt.datetime.fromisoformat(raw.strip()[:16]).replace(tzinfo=LOCAL_TZ) if raw.strip() else None
    except ValueError:
        return None


@login_required
@permission_required("privacy.view_incident", raise_exception=True)
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    """Incidents, the ones still to notify first; paginated."""
    status = request.GET.get("status", "")
    status = status if status in IncidentStatus.values else ""
    page = page_number(request)
    rows, has_next = page_of(incidents.incident_list(status=status), page, PAGE_SIZE)
    context = {
        "rows": [(row, clock_of(row)) for row in rows],
        "has_next": has_next,
        "page": page,
        "status": status,
        "statuses": IncidentStatus.choices,
        "hours": conf.breach_notice_hours(),
    }
    return render(request, "privacy/incidents.html", context)


@login_required
@permission_required(incidents.PERMISSION_ADD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    """Record a breach as soon as it is discovered (the clock starts at discovery)."""
    names = ("title", "discovered_at", "occurred_at", "description", "data_categories", "affected_estimate")
    values = {name: request.POST.get(name, "")[:10000].strip() for name in names}
    errors: dict[str, str] = {}
    if request.method == "POST":
        discovered = _moment(values["discovered_at"])
        estimate = values["affected_estimate"] or "0"
        if discovered is None:
            errors["discovered_at"] = _("When was it discovered? (date and time)")
        if not estimate.isdigit() or len(estimate) > 10:
            errors["affected_estimate"] = _("A number of people, 0 or more.")
        if not errors and discovered is not None:
            try:
                incident = incidents.open_incident(
                    actor=request.user,
                    title=values["title"],
                    discovered_at=discovered,
                    occurred_at=_moment(values["occurred_at"]),
                    description=values["description"],
                    data_categories=values["data_categories"],
                    affected_estimate=int(estimate),
                )
            except DomainError as exc:
                errors.update({error.field: error.message for error in exc.errors})
            else:
                messages.success(request, _("Incident %(code)s recorded.") % {"code": incident.code})
                return redirect("privacy:incident", code=incident.code)
    else:
        values["discovered_at"] = clock.now().astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
    context = {"values": values, "errors": errors, "hours": conf.breach_notice_hours()}
    return render(request, "privacy/incident_create.html", context, status=400 if errors else 200)


@login_required
@permission_required("privacy.view_incident", raise_exception=True)
@require_GET
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One incident: the clock, what happened, who is affected, the measures, the notices and the trail."""
    incident = _load(code)
    affected = list(incident.affected_customers.order_by("code")[:51])
    trail = event_list(subject_type="privacy.incident", subject_id=str(incident.pk)).order_by("occurred_at", "id")
    context = {
        "incident": incident,
        "clock": clock_of(incident),
        "affected": affected[:50],
        "affected_more": len(affected) > 50,
        "affected_count": incident.affected_customers.count(),
        "timeline_days": build_timeline(trail, user=request.user),
        "can_change": request.user.has_perm(incidents.PERMISSION_CHANGE),
    }
    return render(request, "privacy/incident.html", context)


@login_required
@permission_required("privacy.view_incident", raise_exception=True)
@require_GET
def incident_notice(request: HttpRequest, code: str, audience: str) -> HttpResponse:
    """A printable notice in Vietnamese (the authority's and the customers' language) to adapt and send."""
    incident = _load(code)
    template = AUDIENCES.get(audience)
    if template is None:
        raise Http404("Unknown notice")
    context = {
        "incident": incident,
        "affected_count": incident.affected_customers.count() or incident.affected_estimate,
        "today": clock.now(),
        "hours": conf.breach_notice_hours(),
    }
    with override("vi"):
        return render(request, template, context)


@login_required
@permission_required(incidents.PERMISSION_CHANGE, raise_exception=True)
@require_POST
def incident_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """affected / measures / authority / customers / close; refusals come back as a message."""
    incident = _load(code)
    post = request.POST
    try:
        if name == "affected":
            raw = post.get("customers", "")[:200000].replace(",", " ").split()
            added = incidents.add_affected(actor=request.user, incident=incident, customer_codes=raw)
            messages.success(request, _("%(count)d customer(s) added.") % {"count": added})
            return redirect("privacy:incident", code=incident.code)
        if name == "measures":
            incidents.record_measures(
                actor=request.user,
                incident=incident,
                measures=post.get("measures", "")[:10000],
                contained=post.get("contained") == "yes",
            )
        elif name == "authority":
            incidents.record_authority_notice(
                actor=request.user, incident=incident, reference=post.get("reference", "")[:100]
            )
        elif name == "customers":
            incidents.record_customer_notice(actor=request.user, incident=incident)
        elif name == "close":
            incidents.close_incident(actor=request.user, incident=incident)
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        messages.error(request, f"{exc.message}: {details}" if details else exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("privacy:incident", code=incident.code)
