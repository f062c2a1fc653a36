"""Console pages of data-subject requests: the list (by status, kind, overdue), one request with its
deadline clock, owner, audit trail and actions, and a request taken on a customer's behalf."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.console.timeline import build_timeline
from haumai.core import clock
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.customers.selectors import customer_by_code
from haumai.privacy import exports, selectors, services
from haumai.privacy.models import (
    DataRequest,
    RequestKind,
    RequestOrigin,
    RequestStatus,
    RestrictionPurpose,
    VerificationMethod,
)

PAGE_SIZE = 25
STAFF_METHODS = [(m.value, m.label) for m in VerificationMethod if m != VerificationMethod.PORTAL_LOGIN]


def _load(code: str) -> DataRequest:
    try:
        return selectors.request_by_code(code[:24])
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


def clock_of(row: DataRequest) -> dict[str, Any]:
    """Days left (negative when overdue) and the tone of the deadline badge."""
    if not row.is_open:
        return {"days": None, "tone": "neutral", "overdue": False, "late": 0}
    days = (row.due_at - clock.now()).total_seconds() / 86400
    tone = "danger" if days < 0 else "warning" if days < 3 else "info"
    return {"days": int(days), "tone": tone, "overdue": days < 0, "late": max(1, int(-days)) if days < 0 else 0}


@login_required
@permission_required("privacy.view_datarequest", raise_exception=True)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests, by status, kind and overdue; open ones by deadline; paginated."""
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in RequestKind.values else ""
    overdue = request.GET.get("overdue") == "1"
    # Open requests by default; once the filter form was sent ("f"), the box says.
    wanted_open = request.GET.get("open") == "1" if "f" in request.GET else True
    open_only = wanted_open and not status and not overdue
    page = page_number(request)
    rows, has_next = page_of(
        selectors.request_list(status=status, kind=kind, overdue=overdue, open_only=open_only), page, PAGE_SIZE
    )
    context = {
        "rows": [(row, clock_of(row)) for row in rows],
        "has_next": has_next,
        "page": page,
        "status": status,
        "kind": kind,
        "overdue": overdue,
        "open_only": open_only,
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "query": f"f=1&status={status}&kind={kind}&overdue={'1' if overdue else ''}&open={'1' if open_only else '0'}",
    }
    return render(request, "privacy/list.html", context)


@login_required
@permission_required("privacy.view_datarequest", raise_exception=True)
@require_GET
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One request: the clock, owner, verification, result, audit trail and the actions that apply."""
    row = _load(code)
    user = request.user
    trail = build_timeline(selectors.request_trail(row), user=user, customer=row.customer)
    context = {
        "row": row,
        "clock": clock_of(row),
        "timeline_days": trail,
        "can_process": user.has_perm(services.PERMISSION_PROCESS),
        "can_erase": user.has_perm(services.PERMISSION_ERASE),
        "processors": selectors.processors() if user.has_perm(services.PERMISSION_PROCESS) else [],
        "methods": STAFF_METHODS,
        "manual": row.kind in (RequestKind.CORRECTION, RequestKind.RESTRICTION, RequestKind.OBJECTION),
        "stops_marketing": row.kind in (RequestKind.RESTRICTION, RequestKind.OBJECTION),
        "restriction_purposes": RestrictionPurpose.choices if row.kind == RequestKind.RESTRICTION else [],
        "downloadable": bool(row.export_file and row.export_expires_at and row.export_expires_at > clock.now()),
    }
    return render(request, "privacy/detail.html", context)


def _owner(raw: str) -> Any:
    if not raw:
        return None
    owner = get_user_model().objects.filter(pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0).first()
    if owner is None:
        raise NotFound(_("Choose someone who may process requests."))
    return owner


def _process(actor: Any, row: DataRequest) -> str:
    """Carry out the request the way its kind is carried out; the message for the person at the desk."""
    if row.kind == RequestKind.EXPORT:
        services.start_export(actor=actor, request=row)
        return _("The export is being prepared by the worker.")
    if row.kind == RequestKind.WITHDRAW_CONSENT:
        services.withdraw_consent(actor=actor, request=row)
        return _("Consent withdrawn; the request is completed.")
    if row.kind == RequestKind.DELETION:
        services.erase_customer(actor=actor, request=row)
        return _("The customer's personal data was anonymized.")
    services.start_processing(actor=actor, request=row)
    return _("Marked as being processed.")


@login_required
@permission_required("privacy.view_datarequest", raise_exception=True)
@require_POST
def request_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """verify / assign / process / extend / reject / complete; refusals come back as a message."""
    row = _load(code)
    actor = request.user
    post = request.POST
    done = _("Done.")
    try:
        if name == "verify":
            services.verify_request(
                actor=actor, request=row, method=post.get("method", "")[:20], note=post.get("note", "")[:300]
            )
        elif name == "assign":
            owner = actor if post.get("owner") == "me" else _owner(post.get("owner", "").strip())
            services.assign_request(actor=actor, request=row, owner=owner)
        elif name == "process":
            done = _process(actor, row)
        elif name == "extend":
            services.extend_request(actor=actor, request=row, reason=post.get("reason", "")[:300])
        elif name == "reject":
            services.reject_request(actor=actor, request=row, reason=post.get("reason", "")[:2000])
        elif name == "complete":
            services.complete_request(
                actor=actor,
                request=row,
                note=post.get("note", "")[:2000],
                stop_marketing=post.get("stop_marketing") == "yes",
                restrict_purposes=[p[:20] for p in post.getlist("purposes")[:4]],
            )
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("privacy:detail", code=row.code)


@login_required
@permission_required("privacy.process_datarequest", raise_exception=True)
@require_POST
def download_export(request: HttpRequest, code: str) -> FileResponse:
    """Staff hand the export to the person (e.g. at the counter); recorded in the access log."""
    row = _load(code)
    if not (row.export_file and row.export_expires_at and row.export_expires_at > clock.now()):
        raise Http404("No export")
    path = exports.file_path(row.export_file)
    if not os.path.exists(path):
        raise Http404("No export")
    services.record_download(request=row, actor=request.user, reason=request.POST.get("reason", "")[:300])
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=f"{row.code}.zip", content_type="application/zip"
    )


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {"values": values, "errors": errors, "kinds": RequestKind.choices, "methods": STAFF_METHODS}


@login_required
@permission_required("privacy.add_datarequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """Take a request on a customer's behalf (phone, counter), recording how their identity was checked."""
    fields = ("customer", "kind", "details", "verification_method", "verification_note", "verify_later")
    if request.method == "GET":
        values = {"customer": request.GET.get("customer", "")[:20], "kind": request.GET.get("kind", "")[:20]}
        return render(request, "privacy/create.html", _form_context(values, {}))
    values = {name: request.POST.get(name, "")[:2000].strip() for name in fields}
    errors: dict[str, str] = {}
    customer = None
    try:
        customer = customer_by_code(values["customer"][:20], detail=False)
    except (NotFound, ValueError):
        errors["customer"] = _("No customer with this code.")
    if customer is not None:
        try:
            created = services.create_request(
                actor=request.user,
                customer=customer,
                kind=values["kind"],
                origin=RequestOrigin.CONSOLE,
                details=values["details"],
                verification_method=values["verification_method"],
                verification_note=values["verification_note"],
                verify_later=values["verify_later"] == "yes",
            )
        except DomainError as exc:
            errors.update({error.field: error.message for error in exc.errors})
            if not exc.errors:
                errors["kind"] = exc.message
        else:
            messages.success(request, _("Request %(code)s recorded.") % {"code": created.code})
            return redirect("privacy:detail", code=created.code)
    return render(request, "privacy/create.html", _form_context(values, errors), status=400)
