"""Console pages of repairs: the technician queue, the intake form, one order with its actions per state,
and the printable intake receipt (giấy tiếp nhận bảo hành, page and PDF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.selectors import shown_phone
from haumai.console.forms import errors_onto_form
from haumai.console.timeline import build_timeline, readable
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.privacy import audit
from haumai.repairs import receipts, selectors, services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.support.selectors import ticket_linked_from

PAGE_SIZE = 25
QUEUE_LABELS = [
    ("mine", gettext_lazy("My repairs")),
    ("unassigned", gettext_lazy("Unassigned")),
    ("waiting_parts", gettext_lazy("Waiting for parts")),
    ("qc", gettext_lazy("Quality check")),
    ("ready", gettext_lazy("Ready for pickup")),
    ("goodwill", gettext_lazy("Goodwill to approve")),
    ("open", gettext_lazy("All open")),
    ("all", gettext_lazy("All")),
]


def _load(code: str) -> RepairOrder:
    try:
        return selectors.repair_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The technician queue: mine / unassigned / waiting parts / QC / ready, oldest promise first."""
    default = "mine" if request.user.has_perm("repairs.work_repairorder") else "open"
    name = request.GET.get("queue", default)
    name = name if name in selectors.QUEUES else default
    query = request.GET.get("q", "").strip()[:64]
    center = request.GET.get("center", "").strip()[:40]
    page = page_number(request)
    rows, has_next = page_of(
        selectors.repair_queue(queue=name, user=request.user, q=query, center=center), page, PAGE_SIZE
    )
    context = {
        "rows": [(order, selectors.turnaround(order)) for order in rows],
        "has_next": has_next,
        "page": page,
        "queue": name,
        "queues": QUEUE_LABELS,
        "query": query,
        "center": center,
        "centers": list(selectors.service_centers()),
    }
    return render(request, "repairs/queue.html", context)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One repair order: intake, quote, parts, clock, history, and the actions its state allows."""
    order = _load(code)
    lines = [line for line in order.lines.all() if line.version == order.quote_version]
    context = {
        "order": order,
        "lines": lines,
        "totals": services.quote_totals(order),
        "clock": selectors.turnaround(order),
        "phone": shown_phone(request.user, order.customer.phone),
        "quote_link": receipts.quote_url(request, order) if order.status == RepairStatus.QUOTED else "",
        "is_mine": order.technician_id == request.user.pk,
        "technicians": list(services.technicians()) if request.user.has_perm("repairs.assign_repairorder") else [],
        "brand_centers": list(selectors.service_centers(kind="brand")),
        "chosen_brand": order.claim.service_center_code if order.claim_id and order.claim else "",
        "carriers": selectors.carrier_choices(),
        "outsource_status": _shipment_status(order.outsource_status),
        "outsource_return_status": _shipment_status(order.outsource_return_status),
        "open_loan": next((loan for loan in order.loans.all() if loan.returned_at is None), None),
        "timeline_days": build_timeline(
            readable(selectors.timeline(order)), user=request.user, customer=order.customer
        ),
        "from_ticket": ticket_linked_from(order) if request.user.has_perm("support.view_ticket") else "",
    }
    audit.contact_shown(request, customer=order.customer, target=order.code, page="repair")
    return render(request, "repairs/detail.html", context)


def _shipment_status(value: str) -> str:
    from haumai.shipping.statuses import ShipmentStatus

    return str(ShipmentStatus(value).label) if value in ShipmentStatus.values else value


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        return default


def _quote_lines(request: HttpRequest) -> list[QuoteLineInput]:
    lines = []
    kinds = request.POST.getlist("kind")
    for index, kind in enumerate(kinds[:30]):
        sku = (request.POST.getlist("sku") + [""] * 30)[index]
        description = (request.POST.getlist("line_description") + [""] * 30)[index]
        if not kind or (not sku.strip() and not description.strip()):
            continue
        lines.append(
            QuoteLineInput(
                kind=kind,
                sku=sku[:64],
                description=description[:200],
                quantity=_int((request.POST.getlist("quantity") + ["1"] * 30)[index], 0) or 0,
                unit_cost=_int((request.POST.getlist("unit_cost") + [""] * 30)[index]),
                unit_price=_int((request.POST.getlist("unit_price") + [""] * 30)[index]),
            )
        )
    return lines


def _run(request: HttpRequest, order: RepairOrder, name: str) -> str:
    """Carry out one action; returns the success message."""
    user, post = request.user, request.POST
    note = post.get("note", "")[:500]
    if name == "take":
        services.assign(actor=user, order=order, technician=user)
        return _("You took the repair")
    if name == "assign":
        services.assign(actor=user, order=order, technician=selectors.user_by_username(post.get("technician", "")))
        return _("Technician assigned")
    if name == "diagnose":
        services.start_diagnosis(actor=user, order=order)
        return _("Diagnosis started")
    if name == "quote":
        services.send_quote(
            actor=user,
            order=order,
            diagnosis=post.get("diagnosis", "")[:4000],
            lines=_quote_lines(request),
            valid_days=_int(post.get("valid_days"), 7) or 0,
            goodwill_vnd=(_int(post.get("goodwill_vnd"), -1) or 0) if post.get("goodwill_vnd", "").strip() else 0,
            goodwill_reason=post.get("goodwill_reason", "")[:500],
        )
        return _("Quote saved")
    if name in ("goodwill_approve", "goodwill_refuse"):
        services.decide_goodwill(actor=user, order=order, approve=name == "goodwill_approve", note=note)
        return (
            _("Goodwill approved: the quote went to the customer")
            if name == "goodwill_approve"
            else _("Goodwill refused")
        )
    if name in ("approve", "decline"):
        services.decide_quote(actor=user, order=order, approve=name == "approve", note=note)
        return _("The customer's answer is recorded")
    if name == "part":
        part = selectors.part_by_sku(post.get("sku", "")[:64])
        services.use_part(actor=user, order=order, part=part, quantity=_int(post.get("quantity"), 0) or 0)
        return _("Part taken from stock")
    simple: dict[str, tuple[Callable[..., RepairOrder], str]] = {
        "wait_parts": (services.wait_for_parts, _("Waiting for parts")),
        "resume": (services.resume_work, _("Work resumed")),
        "finish": (services.finish_repair, _("Sent to quality check")),
        "qc_pass": (services.pass_qc, _("Quality check passed: ready for pickup")),
        "qc_fail": (services.fail_qc, _("Quality check failed: back to repairing")),
        "unrepaired": (services.return_unrepaired, _("Ready for pickup without repair")),
        "hand_back": (services.hand_back, _("Handed back to the customer")),
        "close": (services.close, _("Repair closed")),
        "outsource_back": (services.outsource_returned, _("The unit is back from the brand")),
    }
    if name in simple:
        action, message = simple[name]
        action(actor=user, order=order, note=note)
        return str(message)
    if name == "start":
        services.start_repair(actor=user, order=order)
        return _("Repair started")
    if name == "lend":
        services.lend_device(actor=user, order=order, description=post.get("device", "")[:200])
        return _("Loan device recorded")
    if name == "loan_back":
        loan = next((loan for loan in order.loans.all() if loan.returned_at is None), None)
        if loan is None:
            raise Http404("No loan")
        services.take_back_loan(actor=user, loan=loan, condition=post.get("condition", "")[:300])
        return _("Loan device returned")
    if name == "outsource":
        center = selectors.service_centers(kind="brand").filter(code=post.get("center", "")[:40]).first()
        typed = post.get("tracking", "").strip()
        services.outsource(
            actor=user,
            order=order,
            center=center,
            carrier=(post.get("carrier_name", "") if typed else post.get("carrier", ""))[:40],
            tracking_code=typed[:64],
        )
        return _("Sent to the brand's service centre")
    if name == "outsource_book_back":
        services.book_return_from_brand(actor=user, order=order, carrier=post.get("carrier", "")[:40])
        return _("The way back is booked")
    if name in ("replace", "refund"):
        services.replace_instead(
            actor=user, order=order, resolution="replacement" if name == "replace" else "refund", note=note
        )
        return _("A return was opened for the replacement or refund")
    raise Http404("Unknown action")


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Run one action of the detail page; a refusal shows as an error and changes nothing."""
    order = _load(code)
    try:
        messages.success(request, _run(request, order, name[:30]))
    except DomainError as exc:
        _refused(request, exc)
    return redirect("repairs:detail", code=order.code)


class IntakeForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("Serial number or IMEI"), max_length=64)
    customer = forms.CharField(label=gettext_lazy("Customer code"), max_length=20, required=False)
    service_center = forms.ChoiceField(label=gettext_lazy("Service centre"))
    claim = forms.CharField(label=gettext_lazy("Warranty claim (WC-…)"), max_length=24, required=False)
    description = forms.CharField(
        label=gettext_lazy("What the customer says is wrong"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    condition = forms.CharField(label=gettext_lazy("Condition at intake"), max_length=500, required=False)
    accessories = forms.CharField(
        label=gettext_lazy("Accessories received (comma separated)"), max_length=1000, required=False
    )
    repeat_of = forms.CharField(label=gettext_lazy("Same defect as repair (RO-…)"), max_length=24, required=False)
    ticket = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_center"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.code, c.name) for c in selectors.service_centers(kind="own")]


def _owner_code(serial: str) -> str:
    from haumai.warranty import selectors as warranty_selectors

    found = warranty_selectors.warranties_by_serial(serial)
    return found[0].customer.code if found else ""


@login_required
@permission_required("repairs.add_repairorder", raise_exception=True)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Receive a unit at the counter: the written intake; then the receipt to print."""
    # A GET may prefill the customer and the unit (e.g. "Repair intake" on a support ticket).
    initial = {
        name: request.GET.get(name, "").strip()[:64]
        for name in ("customer", "serial", "ticket")
        if request.GET.get(name)
    }
    form = IntakeForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer_code = data["customer"] or _owner_code(data["serial"])
        refs = selectors.intake_refs(
            serial=data["serial"],
            customer_code=customer_code,
            center_code=data["service_center"],
            claim_code=data["claim"],
        )
        for error in refs["errors"]:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        repeat = None
        if data["repeat_of"]:
            repeat = RepairOrder.objects.filter(code=data["repeat_of"].strip().upper()).first()
            if repeat is None:
                form.add_error("repeat_of", _("No repair order %(code)s") % {"code": data["repeat_of"]})
        if not form.errors:
            try:
                order = services.receive_unit(
                    actor=request.user,
                    unit=refs["unit"],
                    customer=refs["customer"],
                    service_center=refs["service_center"],
                    description=data["description"],
                    condition=data["condition"],
                    accessories=data["accessories"],
                    claim=refs["claim"],
                    photos=request.FILES.getlist("photos"),  # type: ignore[arg-type]
                    repeat_of=repeat,
                    ticket_code=data["ticket"],
                )
            except DomainError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Unit received: repair %(code)s") % {"code": order.code})
                return redirect("repairs:receipt", code=order.code)
        status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "repairs/intake.html", {"form": form}, status=status)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The printable intake receipt (giấy tiếp nhận bảo hành)."""
    order = _load(code)
    return render(request, "repairs/receipt.html", {"order": order, "rows": receipts.receipt_rows(order)})


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_GET
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The intake receipt as a PDF."""
    order = _load(code)
    response = HttpResponse(receipts.receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.code}.pdf"'
    return response


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_GET
def photo(request: HttpRequest, code: str, photo_id: str) -> FileResponse:
    """An intake photo."""
    order = _load(code)
    found = next((p for p in order.photos.all() if str(p.pk) == photo_id), None)
    if found is None:
        raise Http404("No photo")
    return FileResponse(found.file.open("rb"), content_type=found.content_type)
