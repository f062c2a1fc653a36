"""The warehouse receiving screen, built for a barcode scanner: autofocus, Enter submits, big targets.

Scan (QR / short code / carrier label / serial) -> the return opens -> confirm what arrived ->
grade each line (A/B/C/D) and choose what happens to it -> restock moves stock at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haumai.core.errors import DomainError, NotFound
from haumai.inventory.models import Grade
from haumai.inventory.selectors import stock_levels
from haumai.returns import dispositions, selectors, services
from haumai.returns.models import Disposition, ReturnRequest, Status
from haumai.returns.services.receiving import RECEIVABLE


@login_required
@permission_required("returns.receive_returnrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest) -> HttpResponse:
    """One input: whatever the scanner reads opens the return, or says clearly that nothing matches."""
    error = ""
    text = request.POST.get("code", "").strip()[:200] if request.method == "POST" else ""
    if request.method == "POST":
        try:
            found = services.find_for_scan(text)
        except NotFound as exc:
            error = exc.message
        else:
            return redirect("returns:receive", code=found.code)
    return render(request, "returns/receiving.html", {"error": error, "text": text}, status=404 if error else 200)


def _lines(found: ReturnRequest) -> list[dict[str, Any]]:
    rows = []
    grades = [Grade.A, Grade.B, Grade.C, Grade.D]
    for line in found.lines.all():
        inspections = list(line.inspections.all())
        inspected = sum(i.quantity for i in inspections)
        to_inspect = max(line.received_quantity - inspected, 0)
        proposals = (
            dispositions.proposals_by_grade(reason=found.reason, category=line.product.category, grades=grades)
            if to_inspect and found.status == Status.RECEIVED
            else {}
        )
        rows.append(
            {
                "line": line,
                "inspections": inspections,
                "to_inspect": to_inspect,
                # What the rules propose per grade, as the clerk reads it beside the grade buttons.
                "proposals": [
                    (grade, Disposition(p.disposition).label, p.warehouse.name if p.warehouse else "")
                    for grade, p in proposals.items()
                    if p is not None
                ],
            }
        )
    return rows


@login_required
@permission_required("returns.receive_returnrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm what arrived, then inspect and grade each line; every refusal is shown and changes nothing."""
    try:
        found = selectors.return_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if request.method == "POST":
        try:
            _act(request, found)
        except DomainError as exc:
            details = "; ".join(error.message for error in exc.errors)
            messages.error(request, f"{exc.message}: {details}" if details else exc.message)
        return redirect("returns:receive", code=found.code)
    rows = _lines(found)
    restocked = []
    for row in rows:
        for inspection in row["inspections"]:
            if inspection.stock_move_id and inspection.warehouse:
                level = stock_levels(
                    sku=row["line"].product.sku, warehouse=inspection.warehouse.code, grade=inspection.grade,
                    include_zero=True,
                ).first()  # fmt: skip
                restocked.append((row["line"], inspection, level.quantity if level else 0))
    context = {
        "rma": found,
        "rows": rows,
        "receivable": found.status in RECEIVABLE,
        "inspecting": found.status == Status.RECEIVED,
        "grades": [Grade.A, Grade.B, Grade.C, Grade.D],
        "grade_labels": dict(Grade.choices),
        "dispositions": Disposition.choices,
        "warehouses": selectors.warehouses(),
        "restocked": restocked,
    }
    return render(request, "returns/receive.html", context)


def _act(request: HttpRequest, found: ReturnRequest) -> None:
    step = request.POST.get("step", "")
    if step == "receive":
        counts: dict[int, int] = {}
        serials: dict[int, str] = {}
        for line in found.lines.all():
            raw = request.POST.get(f"received_{line.pk}", str(line.quantity)).strip()
            counts[line.pk] = int(raw) if raw.isdigit() else -1
            serials[line.pk] = request.POST.get(f"serial_{line.pk}", "")[:64]
        services.receive_return(
            actor=request.user,
            request=found,
            received=counts,
            warehouse_code=request.POST.get("warehouse", ""),
            serials=serials,
        )
        messages.success(request, _("Received. Now grade each item."))
    elif step == "inspect":
        raw_id = request.POST.get("line", "")
        chosen = next((line for line in found.lines.all() if str(line.pk) == raw_id), None)
        if chosen is None:
            raise NotFound(_("This line is not part of return %(code)s") % {"code": found.code})
        services.inspect_line(
            actor=request.user,
            line=chosen,
            grade=request.POST.get("grade", ""),
            disposition=request.POST.get("disposition", ""),
            warehouse_code=request.POST.get("warehouse", ""),
            notes=request.POST.get("notes", "")[:2000],
            override_reason=request.POST.get("override_reason", "")[:500],
            photos=request.FILES.getlist("photos"),  # type: ignore[arg-type]
        )
        messages.success(request, _("Inspection saved."))
    else:
        raise NotFound(_("Unknown step"))
