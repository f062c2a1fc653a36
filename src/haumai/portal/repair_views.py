"""Portal repair pages (haumai.repairs): my repairs with their history, and the quote answered from the
portal (logged in) or from the signed link sent in the message (no login; the link expires with the quote)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haumai.core.errors import DomainError, NotFound
from haumai.customers.models import Customer
from haumai.portal.views import _page, portal_login_required
from haumai.repairs import selectors as repair_selectors
from haumai.repairs import services as repair_services
from haumai.repairs.models import RepairOrder, RepairStatus

CUSTOMER_STEPS = (
    RepairStatus.RECEIVED,
    RepairStatus.DIAGNOSING,
    RepairStatus.QUOTED,
    RepairStatus.REPAIRING,
    RepairStatus.READY,
    RepairStatus.RETURNED,
)


def _context(order: RepairOrder) -> dict[str, object]:
    # A quote whose goodwill waits for a manager is not shown to the customer yet.
    pending = order.goodwill_status == "pending"
    lines = [] if pending else [line for line in order.lines.all() if line.version == order.quote_version]
    history = list(order.changes.all())
    return {
        "order": order,
        "lines": lines,
        "totals": repair_services.quote_totals(order),
        "history": history,
        "can_answer": order.status == RepairStatus.QUOTED,
    }


@never_cache
@require_GET
@portal_login_required
def my_repairs(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My repairs, newest first."""
    rows = repair_selectors.customer_repairs(customer, limit=50)
    return _page(request, "portal/repairs/mine.html", {"rows": rows, "portal_customer": customer})


def _answer(request: HttpRequest, order: RepairOrder, version: int | None, via: str) -> str:
    approve = request.POST.get("answer") == "approve"
    repair_services.decide_quote(actor=None, order=order, approve=approve, version=version, via=via)
    return "approved" if approve else "declined"


@never_cache
@require_http_methods(["GET", "POST"])
@portal_login_required
def repair_detail(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """One of my repairs: where it is, the quote to approve or decline, the history."""
    try:
        order = repair_selectors.customer_repair(customer, code[:24])
    except NotFound:
        raise Http404("No repair") from None
    error = ""
    if request.method == "POST":
        version = int(request.POST.get("version", "0") or 0)
        try:
            answer = _answer(request, order, version, "portal")
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"{request.path}?answered={answer}")
    context = {**_context(order), "error": error, "portal_customer": customer}
    return _page(request, "portal/repairs/detail.html", context, status=409 if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def repair_quote(request: HttpRequest, token: str) -> HttpResponse:
    """The quote from the signed link (no login): approve or decline once, before it expires."""
    try:
        found, version = repair_services.order_from_token(token[:400])
        order = repair_selectors.repair_by_code(found.code)
    except NotFound:
        raise Http404("Link not valid") from None
    error = ""
    if request.method == "POST":
        try:
            answer = _answer(request, order, version, "link")
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"{request.path}?answered={answer}")
    stale = version != order.quote_version
    context = {**_context(order), "error": error, "stale": stale, "by_link": True}
    if stale:
        context["can_answer"] = False
    return _page(request, "portal/repairs/detail.html", context, status=409 if error else 200)
