"""Console pages around the ticket: care scripts, goodwill and its approval queue, calls, customer merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError
from haumai.core.paging import page_number, page_of
from haumai.customers.models import Customer
from haumai.support import selectors
from haumai.support.models import CallDirection, CallOutcome, GoodwillRequest, Macro
from haumai.support.services import calls, goodwill, macros, merge
from haumai.support.views import _load, refused


@login_required
@permission_required("support.reply_ticket", raise_exception=True)
@require_POST
def apply_macro(request: HttpRequest, code: str) -> HttpResponse:
    """Apply a care script: its fields now, its text into the reply box."""
    ticket = _load(code)
    macro = Macro.objects.filter(key=request.POST.get("macro", "")[:60], active=True).first()
    if macro is None:
        messages.error(request, _("Choose a care script"))
        return redirect("support:ticket", code=ticket.code)
    try:
        applied = macros.apply_macro(actor=request.user, ticket=ticket, macro=macro)
    except DomainError as exc:
        refused(request, exc)
        return redirect("support:ticket", code=ticket.code)
    request.session["support_draft"] = {"code": ticket.code, "body": applied.text}
    messages.success(request, _("Care script applied: check the text and send it"))
    return redirect("support:ticket", code=ticket.code)


@login_required
@permission_required("support.add_goodwillrequest", raise_exception=True)
@require_POST
def request_goodwill(request: HttpRequest, code: str) -> HttpResponse:
    """Grant goodwill within the limit, or send it to a manager."""
    ticket = _load(code)
    raw = request.POST.get("amount_vnd", "").replace(".", "").replace(",", "").strip()
    try:
        if not raw.isdigit():
            from haumai.support.services.common import refuse

            raise refuse("amount_vnd", _("Enter an amount in VND"), "invalid")
        made = goodwill.request_goodwill(
            actor=request.user, ticket=ticket, kind=request.POST.get("kind", ""), amount_vnd=int(raw),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except DomainError as exc:
        refused(request, exc)
        return redirect("support:ticket", code=ticket.code)
    if made.status == "granted":
        messages.success(request, _("Goodwill granted"))
    else:
        messages.info(request, _("Above your approval limit: sent to a manager"))
    return redirect("support:ticket", code=ticket.code)


@login_required
@permission_required("support.approve_goodwill", raise_exception=True)
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """The manager's queue of goodwill requests above the agents' limits."""
    page = page_number(request)
    rows, has_next = page_of(selectors.pending_goodwill(), page, 25)
    return render(request, "support/approvals.html", {"rows": rows, "has_next": has_next, "page": page})


@login_required
@permission_required("support.approve_goodwill", raise_exception=True)
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Approve or refuse one request."""
    found = GoodwillRequest.objects.filter(pk=request_id).first()
    if found is None:
        raise Http404("request not found")
    try:
        goodwill.decide_goodwill(
            actor=request.user, request=found, approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Decision recorded on the ticket"))
    return redirect("support:approvals")


@login_required
@permission_required("support.add_calllog", raise_exception=True)
@require_http_methods(["GET", "POST"])
def new_call(request: HttpRequest) -> HttpResponse:
    """Log a phone call; a known number lands on that customer (a new one becomes a contact)."""
    values = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    if request.method == "POST":
        code = request.POST.get("ticket", "").strip()
        ticket = None
        if code:
            try:
                ticket = selectors.ticket_by_code(code)
            except DomainError:
                errors["ticket"] = _("Unknown ticket")
        duration = request.POST.get("duration_seconds", "0").strip() or "0"
        if not duration.isdigit():
            errors["duration_seconds"] = _("Enter whole seconds")
        if not errors:
            try:
                call, _created = calls.log_call(
                    actor=request.user, phone=request.POST.get("phone", ""),
                    direction=request.POST.get("direction", ""), outcome=request.POST.get("outcome", ""),
                    duration_seconds=int(duration), recording_url=request.POST.get("recording_url", "").strip(),
                    note=request.POST.get("note", ""), ticket=ticket,
                )  # fmt: skip
            except DomainError as exc:
                errors = {e.field: e.message for e in exc.errors} or {"__all__": exc.message}
            else:
                messages.success(request, _("Call logged"))
                if ticket is not None:
                    return redirect("support:ticket", code=ticket.code)
                return redirect("customers:detail", code=call.customer.code)
    return render(
        request,
        "support/call_form.html",
        {"values": values, "errors": errors, "directions": CallDirection.choices, "outcomes": CallOutcome.choices},
    )


@login_required
@permission_required("support.merge_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def merge_customers(request: HttpRequest) -> HttpResponse:
    """Merge two customer records of one person (the first into the second)."""
    values = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    if request.method == "POST":
        source = Customer.objects.filter(code=request.POST.get("source", "").strip().upper()).first()
        target = Customer.objects.filter(code=request.POST.get("target", "").strip().upper()).first()
        if source is None:
            errors["source"] = _("Unknown customer code")
        if target is None:
            errors["target"] = _("Unknown customer code")
        if source is not None and target is not None:
            try:
                merge.merge_customers(actor=request.user, source=source, target=target)
            except DomainError as exc:
                errors = {e.field: e.message for e in exc.errors} or {"__all__": exc.message}
            else:
                messages.success(request, _("Customers merged"))
                return redirect("customers:detail", code=target.code)
    return render(request, "support/merge_customers.html", {"values": values, "errors": errors})
