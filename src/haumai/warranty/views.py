"""Console pages of warranties: list with filters, detail with the unit's history and actions, claims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.accounts.selectors import shown_phone
from haumai.core import clock
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.privacy import audit
from haumai.support.selectors import ticket_linked_from
from haumai.warranty import policy, selectors, services
from haumai.warranty.models import (
    Claim,
    ClaimOrigin,
    ClaimResolution,
    ClaimStatus,
    ExtendedCoverage,
    ExtendedPlan,
    ExtensionKind,
    Warranty,
    WarrantyStatus,
)
from haumai.warranty.services.refunding import refund_choices

PAGE_SIZE = 25
STATUS_FILTERS = [(s.value, s.label) for s in WarrantyStatus]


def _load(code: str) -> Warranty:
    try:
        return selectors.warranty_by_code(code[:24])
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _load_claim(code: str) -> Claim:
    try:
        return selectors.claim_by_code(code[:24])
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


@login_required
@permission_required("warranty.view_warranty", raise_exception=True)
@require_GET
def warranty_list(request: HttpRequest) -> HttpResponse:
    """Warranties newest first, by state and text (code, serial, IMEI, phone) or order; paginated."""
    status = request.GET.get("status", "")
    status = status if status in WarrantyStatus.values else ""
    query = request.GET.get("q", "").strip()[:64]
    order = request.GET.get("order", "").strip()[:24]
    customer = request.GET.get("customer", "").strip()[:20]
    page = page_number(request)
    found = selectors.warranty_list(q=query, status=status, order_code=order, customer_code=customer)
    rows, has_next = page_of(found, page, PAGE_SIZE)
    today = clock.today()
    context = {
        "rows": [(w, selectors.answer(w, today=today)) for w in rows],
        "has_next": has_next,
        "page": page,
        "status": status,
        "query": query,
        "order": order,
        "customer": customer,
        "ticket_code": request.GET.get("ticket", "").strip().upper()[:20],
        "statuses": STATUS_FILTERS,
    }
    return render(request, "warranty/list.html", context)


@login_required
@permission_required("warranty.view_warranty", raise_exception=True)
@require_GET
def warranty_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One warranty: terms, components, dates, plans, extensions, claims, replacements; and its actions."""
    warranty = _load(code)
    history = selectors.history(warranty)
    context = {
        "warranty": warranty,
        "answer": selectors.answer(warranty),
        "phone": shown_phone(request.user, warranty.customer.phone),
        "components": policy.component_ends(warranty),
        "history": history,
        "claim_reasons": [(c, [policy.explain(n) for n in c.notes]) for c in history.claims],
        "coverage": services.coverage_for(warranty),
        "plans_on_sale": list(selectors.active_plans()),
        "extension_kinds": ExtensionKind.choices,
        "ticket_code": request.GET.get("ticket", "").strip().upper()[:20],
    }
    audit.contact_shown(request, customer=warranty.customer, target=warranty.code, page="warranty")
    return render(request, "warranty/detail.html", context)


@login_required
@permission_required("warranty.view_warranty", raise_exception=True)
@require_GET
def proof_photo(request: HttpRequest, code: str) -> FileResponse:
    """The purchase proof uploaded at activation."""
    warranty = _load(code)
    if not warranty.proof_photo:
        raise Http404("No photo")
    return FileResponse(warranty.proof_photo.open("rb"), content_type=warranty.proof_content_type)


@login_required
@permission_required("warranty.add_claim", raise_exception=True)
@require_POST
def file_claim(request: HttpRequest, code: str) -> HttpResponse:
    """File a claim for the customer (e.g. on the phone or at the counter)."""
    warranty = _load(code)
    ticket_code = request.POST.get("ticket", "").strip().upper()[:20]
    try:
        claim = services.file_claim(
            actor=request.user,
            warranty=warranty,
            description=request.POST.get("description", "")[:4000],
            origin=ClaimOrigin.CONSOLE,
            ticket_code=ticket_code,
        )
    except DomainError as exc:
        _refused(request, exc)
        back = reverse("warranty:detail", args=[warranty.code])
        return redirect(f"{back}?{urlencode({'ticket': ticket_code})}" if ticket_code else back)
    messages.success(request, _("Claim %(code)s filed.") % {"code": claim.code})
    return redirect("warranty:claim", code=claim.code)


@login_required
@permission_required("warranty.add_extendedcoverage", raise_exception=True)
@require_POST
def sell_plan(request: HttpRequest, code: str) -> HttpResponse:
    """Sell an extended plan for this unit."""
    warranty = _load(code)
    plan = ExtendedPlan.objects.filter(code=request.POST.get("plan", "")[:60]).first()
    try:
        if plan is None:
            raise NotFound(_("Choose a plan"))
        services.sell_plan(actor=request.user, warranty=warranty, plan=plan)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("warranty:detail", code=warranty.code)


@login_required
@permission_required("warranty.change_extendedcoverage", raise_exception=True)
@require_POST
def cancel_plan(request: HttpRequest, code: str, plan_code: str) -> HttpResponse:
    """Cancel a sold plan; the pro-rata refund amount is shown."""
    warranty = _load(code)
    coverage = ExtendedCoverage.objects.filter(code=plan_code[:24], warranty=warranty).first()
    if coverage is None:
        raise Http404("No plan")
    try:
        cancelled = services.cancel_plan(actor=request.user, coverage=coverage)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Plan cancelled; refund %(amount)s ₫.")
            % {"amount": f"{cancelled.refund_amount or 0:,}".replace(",", ".")},
        )
    return redirect("warranty:detail", code=warranty.code)


@login_required
@permission_required("warranty.decide_claim", raise_exception=True)
@require_POST
def extend(request: HttpRequest, code: str) -> HttpResponse:
    """Move the end date by a number of days (days in service, goodwill)."""
    warranty = _load(code)
    raw = request.POST.get("days", "").strip()
    kind = request.POST.get("kind", ExtensionKind.GOODWILL)
    try:
        services.extend_warranty(
            actor=request.user,
            warranty=warranty,
            kind=kind if kind in ExtensionKind.values else ExtensionKind.GOODWILL,
            days=int(raw) if raw.isdigit() and len(raw) < 5 else 0,
            note=request.POST.get("note", "")[:300],
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("warranty:detail", code=warranty.code)


@login_required
@permission_required("warranty.view_claim", raise_exception=True)
@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims newest first, by state and code/serial; paginated."""
    status = request.GET.get("status", "")
    status = status if status in ClaimStatus.values else ""
    query = request.GET.get("q", "").strip()[:64]
    page = page_number(request)
    rows, has_next = page_of(selectors.claim_list(status=status, q=query), page, PAGE_SIZE)
    context = {
        "claims": rows,
        "has_next": has_next,
        "page": page,
        "status": status,
        "query": query,
        "statuses": ClaimStatus.choices,
    }
    return render(request, "warranty/claims.html", context)


@login_required
@permission_required("warranty.view_claim", raise_exception=True)
@require_GET
def claim_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One claim: the description, coverage reasons, decision and resolution."""
    claim = _load_claim(code)
    centers = services.center_choices(claim) if claim.resolution == ClaimResolution.REPAIR else []
    context = {
        "claim": claim,
        "reasons": [policy.explain(note) for note in claim.notes],
        "resolutions": ClaimResolution.choices,
        "centers": centers,
        "chosen_center": next((c.name for c in centers if c.code == claim.service_center_code), ""),
        "refund_methods": refund_choices(claim) if claim.resolution == ClaimResolution.REFUND else [],
        "from_ticket": ticket_linked_from(claim) if request.user.has_perm("support.view_ticket") else "",
    }
    return render(request, "warranty/claim.html", context)


@login_required
@permission_required("warranty.decide_claim", raise_exception=True)
@require_POST
def claim_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Accept, reject or resolve a claim; refusals come back as a message and change nothing."""
    claim = _load_claim(code)
    try:
        if name in ("accept", "reject"):
            services.decide_claim(
                actor=request.user,
                claim=claim,
                accept=name == "accept",
                resolution=request.POST.get("resolution", "")[:20],
                note=request.POST.get("note", "")[:500],
            )
        elif name == "resolve":
            services.resolve_claim(
                actor=request.user,
                claim=claim,
                replacement_serial=request.POST.get("replacement_serial", "")[:64],
                replacement_imei=request.POST.get("replacement_imei", "")[:20] or None,
                service_center=request.POST.get("service_center", "")[:40],
                refund_method=request.POST.get("refund_method", "")[:20],
                bank_account={name: request.POST.get(f"bank_{name}", "")[:120] for name in ("bank", "number", "name")},
            )
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("warranty:claim", code=claim.code)
