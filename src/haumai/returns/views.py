"""Console pages of returns: queue, detail with actions, create on behalf of a customer, metrics.

The scanner-friendly receiving screen lives in `receiving_views.py`.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.console.timeline import build_timeline, readable
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number
from haumai.customers.selectors import customer_by_code
from haumai.returns import logistics, qr, refunds, selectors, services
from haumai.returns.models import Condition, Logistics, Origin, Reason, Resolution, ReturnRequest, Status
from haumai.returns.policy import explain
from haumai.returns.services.creation import OFFERED_RESOLUTIONS
from haumai.sales.selectors import order_by_code
from haumai.support.selectors import ticket_linked_from

PAGE_SIZE = 25
# Action name -> (permission, what it does).
ACTIONS = {
    "approve": "returns.approve_returnrequest",
    "reject": "returns.approve_returnrequest",
    "cancel": "returns.change_returnrequest",
    "retry_pickup": "returns.change_returnrequest",
    "retry_resolution": "returns.change_returnrequest",
    "return_to_customer": "returns.receive_returnrequest",
    "close": "returns.change_returnrequest",
}


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Returns newest first, filtered by state, text and 'needs attention'; paginated without a count."""
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    query = request.GET.get("q", "").strip()[:64]
    problems = request.GET.get("problems") == "1"
    arrived = request.GET.get("arrived") == "1"
    page = page_number(request)
    rows = list(
        selectors.return_queue(status=status, q=query, problems_only=problems, arrived_only=arrived)[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    context = {
        "returns": rows[:PAGE_SIZE],
        "has_next": len(rows) > PAGE_SIZE,
        "page": page,
        "status": status,
        "query": query,
        "problems": problems,
        "arrived": arrived,
        "statuses": Status.choices,
        "counts": selectors.status_counts(),
    }
    return render(request, "returns/queue.html", context)


def _load(code: str) -> ReturnRequest:
    try:
        return selectors.return_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one return: lines with eligibility reasons, shipment, refund, timeline, actions."""
    found = _load(code)
    user = request.user
    lines = list(found.lines.all())
    context = {
        "rma": found,
        "lines": [(line, [explain(note) for note in line.notes]) for line in lines],
        "value": sum(line.value for line in lines),
        "shipments": logistics.shipments_for(found),
        "exchange_product": selectors.exchange_product(found),
        "refunds": refunds.refunds_for(found),
        "timeline_days": build_timeline(readable(selectors.timeline(found)), user=user, customer=found.customer),
        "qr_svg": qr.svg(found.dropoff_code) if found.dropoff_code else "",
        "can": {name: user.has_perm(permission) for name, permission in ACTIONS.items()},
        "can_receive": user.has_perm("returns.receive_returnrequest"),
        "before_receipt": found.status in services.common.BEFORE_RECEIPT,
        "refund_started": services.common.refund_started(found),
        "can_retry_resolution": found.status == Status.INSPECTED
        and bool(found.problem)
        and (not found.refund_code or found.refund_status == "failed"),
        "from_ticket": ticket_linked_from(found) if user.has_perm("support.view_ticket") else "",
    }
    return render(request, "returns/detail.html", context)


@login_required
@require_POST
def action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Run one action on a return; refusals come back as a message and change nothing."""
    permission = ACTIONS.get(name)
    if permission is None:
        raise Http404("Unknown action")
    if not request.user.has_perm(permission):
        return render(request, "console/forbidden.html", status=403)
    found = _load(code)
    note = request.POST.get("note", "")[:2000]
    actor = request.user
    try:
        if name == "approve":
            services.approve_return(actor=actor, request=found, note=note)
        elif name == "reject":
            services.reject_return(actor=actor, request=found, note=note)
        elif name == "cancel":
            services.cancel_return(actor=actor, request=found, note=note)
        elif name == "retry_pickup":
            services.retry_pickup_booking(actor=actor, request=found)
        elif name == "retry_resolution":
            services.retry_resolution(actor=actor, request=found)
        elif name == "return_to_customer":
            services.return_to_customer(actor=actor, request=found, note=note)
        elif name == "close":
            services.close_return(actor=actor, request=found)
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        messages.error(request, f"{exc.message}: {details}" if details else exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("returns:detail", code=found.code)


def _form_lines(request: HttpRequest, order: Any) -> list[services.LineInput]:
    items = []
    for row in selectors.returnable_lines(order.pk):
        line = row["line"]
        raw = request.POST.get(f"quantity_{line.pk}", "0").strip()
        quantity = int(raw) if raw.isdigit() else -1
        if quantity == 0:
            continue
        condition = request.POST.get(f"condition_{line.pk}", Condition.OPENED_UNUSED)
        items.append(services.LineInput(order_line_id=line.pk, quantity=quantity, condition=condition))
    return items


def _elsewhere_line(request: HttpRequest) -> list[services.LineInput]:
    """One item bought elsewhere (another shop, several orders): SKU, serial, price paid."""
    raw_quantity = request.POST.get("quantity", "1").strip()
    raw_price = request.POST.get("unit_price", "").strip()
    return [
        services.LineInput(
            sku=request.POST.get("sku", "")[:64],
            serial=request.POST.get("serial", "")[:64],
            quantity=int(raw_quantity) if raw_quantity.isdigit() else -1,
            unit_price=int(raw_price) if raw_price.isdigit() else None,
            condition=request.POST.get("condition", Condition.OPENED_UNUSED),
        )
    ]


def _pickup(request: HttpRequest) -> services.PickupInput:
    return services.PickupInput(
        name=request.POST.get("pickup_name", "")[:160],
        phone=request.POST.get("pickup_phone", "")[:20],
        street=request.POST.get("pickup_street", "")[:255],
        ward_code=request.POST.get("pickup_ward_code", "")[:10],
        province_code=request.POST.get("pickup_province_code", "")[:10],
    )


@login_required
@permission_required("returns.add_returnrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Open a return on behalf of a customer: find the order, pick lines, reason, resolution, logistics."""
    order_code = (request.POST.get("order") or request.GET.get("order") or "").strip().upper()[:24]
    order = None
    errors: list[str] = []
    if order_code:
        try:
            order = order_by_code(order_code)
        except NotFound as exc:
            errors.append(exc.message)
    customer_code = (request.POST.get("customer") or request.GET.get("customer") or "").strip().upper()[:20]
    customer = None
    if order is not None:
        customer = order.customer
    elif customer_code:
        try:
            customer = customer_by_code(customer_code, detail=False)
        except NotFound as exc:
            errors.append(exc.message)
    ticket_code = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip().upper()[:20]
    if request.method == "POST" and customer is not None:
        try:
            created, _created = services.create_return(
                actor=request.user,
                customer=customer,
                order=order,
                lines=_form_lines(request, order) if order is not None else _elsewhere_line(request),
                reason=request.POST.get("reason", ""),
                resolution=request.POST.get("resolution", ""),
                logistics=request.POST.get("logistics", ""),
                origin=Origin.CONSOLE,
                carrier_code=request.POST.get("carrier", ""),
                pickup=_pickup(request),
                warehouse_code=request.POST.get("warehouse", "") or None,
                customer_note=request.POST.get("customer_note", "")[:2000],
                exchange_sku=request.POST.get("exchange_sku", "")[:64],
                bank_account={
                    "bank": request.POST.get("bank", ""),
                    "number": request.POST.get("bank_number", ""),
                    "name": request.POST.get("bank_name", ""),
                },
                idempotency_key=request.POST.get("idempotency_key", "")[:120] or None,
                override_note=request.POST.get("override_note", "")[:2000],
                ticket_code=ticket_code,
            )
        except DomainError as exc:
            errors.append(exc.message)
            errors.extend(f"{error.field}: {error.message}" for error in exc.errors)
        else:
            messages.success(request, _("Return %(code)s opened.") % {"code": created.code})
            return redirect("returns:detail", code=created.code)
    context = {
        "order": order,
        "order_code": order_code,
        "customer": customer,
        "customer_code": customer_code,
        "ticket_code": ticket_code,
        "rows": selectors.returnable_lines(order.pk) if order else [],
        "errors": errors,
        "form": request.POST,
        "reasons": Reason.choices,
        "conditions": Condition.choices,
        "resolutions": _resolution_choices(),
        "logistics_choices": Logistics.choices,
        "carriers": [code for code, _name in logistics.enabled_carriers()],
        "warehouses": selectors.warehouses(),
        "can_override": request.user.has_perm("returns.override_eligibility"),
        "idempotency_key": request.POST.get("idempotency_key") or _new_key(),
    }
    return render(request, "returns/create.html", context, status=422 if errors and request.method == "POST" else 200)


def _resolution_choices() -> list[tuple[str, str]]:
    return [(value, str(Resolution(value).label)) for value in OFFERED_RESOLUTIONS]


def _new_key() -> str:
    return f"console-{secrets.token_hex(8)}"


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Return rate by product/category/reason, cycle time to refund, value tied up in returns."""
    context = {
        "by_product": selectors.return_rates(by="product"),
        "by_category": selectors.return_rates(by="category"),
        "by_reason": [
            {**row, "label": str(Reason(row["key"]).label) if row["key"] in Reason.values else row["key"]}
            for row in selectors.return_rates(by="reason")
        ],
        "cycle": selectors.cycle_time(),
        "tied_up": selectors.value_tied_up(),
        "counts": selectors.status_counts(),
        "statuses": Status.choices,
    }
    return render(request, "returns/metrics.html", context)


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
@require_GET
def photo(request: HttpRequest, code: str, photo_id: int) -> FileResponse:
    """A customer or inspection photo, only to staff who may see the return (never a public media URL)."""
    found = _load(code)
    stored = next((p for p in found.photos.all() if p.pk == photo_id), None)
    if stored is None:
        raise Http404("No such photo")
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
