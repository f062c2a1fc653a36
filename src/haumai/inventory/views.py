"""Console pages of inventory: transfers (list, new, detail with ship/receive/cancel) and available-to-sell."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.catalog import selectors as catalog_selectors
from haumai.console.timeline import build_timeline
from haumai.core.errors import DomainError, FieldError, NotFound, ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.events.selectors import event_list
from haumai.inventory import selectors, transfers
from haumai.inventory.models import Grade, Transfer, TransferStatus

PAGE_SIZE = 25
FORM_LINES = 5  # empty line rows offered by the new-transfer form
STEPS = {
    "ship": (transfers.ship_transfer, TransferStatus.REQUESTED),
    "receive": (transfers.receive_transfer, TransferStatus.IN_TRANSIT),
    "cancel": (transfers.cancel_transfer, TransferStatus.REQUESTED),
}


def _warehouse_code(request: HttpRequest, codes: set[str]) -> str:
    code = request.GET.get("warehouse", "").strip()
    return code if code in codes else ""


@login_required
@permission_required("inventory.view_transfer", raise_exception=True)
@require_GET
def transfer_index(request: HttpRequest) -> HttpResponse:
    """Transfers newest first, filtered by status and warehouse (either side); no full-table count."""
    status = request.GET.get("status", "")
    status = status if status in TransferStatus.values else ""
    warehouses = list(selectors.warehouses())
    warehouse = _warehouse_code(request, {w.code for w in warehouses})
    page = page_number(request)
    rows, has_next = page_of(selectors.transfers(status=status, warehouse=warehouse), page, PAGE_SIZE)
    context = {
        "transfers": rows,
        "statuses": TransferStatus.choices,
        "status": status,
        "warehouses": warehouses,
        "warehouse": warehouse,
        "page": page,
        "has_next": has_next,
        "can_add": request.user.has_perm("inventory.add_transfer"),
    }
    return render(request, "inventory/transfers.html", context)


def _typed_lines(request: HttpRequest) -> list[dict[str, str]]:
    skus = request.POST.getlist("sku")
    grades = request.POST.getlist("grade")
    quantities = request.POST.getlist("quantity")
    serials = request.POST.getlist("serial")
    rows = []
    for index, sku in enumerate(skus[: transfers.MAX_LINES]):
        row = {
            "sku": sku.strip()[:64],
            "grade": grades[index] if index < len(grades) else Grade.NEW,
            "quantity": (quantities[index] if index < len(quantities) else "").strip()[:7],
            "serial": (serials[index] if index < len(serials) else "").strip()[:64],
        }
        if row["sku"] or row["serial"] or row["quantity"]:
            rows.append(row)
    return rows


def _parse_lines(rows: list[dict[str, str]]) -> tuple[list[transfers.TransferLineInput], list[FieldError]]:
    lines: list[transfers.TransferLineInput] = []
    errors: list[FieldError] = []
    for index, row in enumerate(rows):
        where = f"lines.{index}"
        unit = None
        if row["serial"]:
            try:
                unit = catalog_selectors.unit_by_serial(row["serial"])
            except NotFound:
                message = _("No unit with serial '%(serial)s'") % {"serial": row["serial"]}
                errors.append(FieldError(f"{where}.serial", message))
                continue
        if unit is not None and not row["sku"]:
            product = unit.product
        else:
            try:
                product = catalog_selectors.product_by_sku(row["sku"])
            except NotFound:
                errors.append(FieldError(f"{where}.sku", _("No product with SKU '%(sku)s'") % {"sku": row["sku"]}))
                continue
        text = row["quantity"] or ("1" if unit else "")
        quantity = int(text) if text.isdigit() else 0  # 0 is refused by the service with its message
        lines.append(transfers.TransferLineInput(product=product, quantity=quantity, grade=row["grade"], unit=unit))
    return lines, errors


@login_required
@permission_required("inventory.add_transfer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def transfer_new(request: HttpRequest) -> HttpResponse:
    """Ask for stock to go from one warehouse to another; refusals keep what was typed, beside the field."""
    warehouses = {w.code: w for w in selectors.warehouses()}
    typed: dict[str, Any] = {"source": "", "destination": "", "note": "", "lines": []}
    errors: list[FieldError] = []
    message = ""
    if request.method == "POST":
        typed = {
            "source": request.POST.get("source", ""),
            "destination": request.POST.get("destination", ""),
            "note": request.POST.get("note", "").strip()[:600],
            "lines": _typed_lines(request),
        }
        for field in ("source", "destination"):
            if typed[field] not in warehouses:
                errors.append(FieldError(field, _("Choose a warehouse")))
        lines, line_errors = _parse_lines(typed["lines"])
        errors += line_errors
        if not typed["lines"]:
            errors.append(FieldError("lines", _("Add at least one item to transfer")))
        if not errors:
            try:
                transfer, _created = transfers.request_transfer(
                    actor=request.user, source=warehouses[typed["source"]],
                    destination=warehouses[typed["destination"]], lines=lines, note=typed["note"],
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )  # fmt: skip
            except ValidationFailed as exc:
                errors, message = exc.errors, str(exc)
            else:
                messages.success(request, _("Transfer %(code)s requested.") % {"code": transfer.code})
                return redirect("inventory:transfer_detail", code=transfer.code)
        message = message or _("Some fields are invalid")
    rows = typed["lines"] + [{"sku": "", "grade": Grade.NEW, "quantity": "", "serial": ""}] * max(
        1, FORM_LINES - len(typed["lines"])
    )
    field_errors: dict[str, list[str]] = {}
    for error in errors:
        field_errors.setdefault(error.field, []).append(error.message)
    context = {
        "warehouses": list(warehouses.values()),
        "grades": Grade.choices,
        "typed": typed,
        "rows": [{**row, "errors": _row_errors(field_errors, index)} for index, row in enumerate(rows)],
        "field_errors": field_errors,
        "message": message,
        "idempotency_key": request.POST.get("idempotency_key", "") or _new_key(),
    }
    return render(request, "inventory/transfer_new.html", context, status=400 if errors else 200)


def _row_errors(field_errors: dict[str, list[str]], index: int) -> list[str]:
    prefix = f"lines.{index}."
    return [message for field, found in field_errors.items() if field.startswith(prefix) for message in found]


def _new_key() -> str:
    import uuid

    return f"console:{uuid.uuid4().hex}"


def _transfer_or_404(code: str) -> Transfer:
    try:
        return selectors.transfer_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
@permission_required("inventory.view_transfer", raise_exception=True)
@require_GET
def transfer_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One transfer: its lines, where it is, what staff may do next, and its timeline."""
    transfer = _transfer_or_404(code)
    can_change = request.user.has_perm("inventory.change_transfer")
    context = {
        "transfer": transfer,
        "lines": list(transfer.lines.all()),
        "steps": [step for step, (_action, before) in STEPS.items() if can_change and transfer.status == before],
        "timeline_days": build_timeline(
            event_list(subject_type="inventory.transfer", subject_id=str(transfer.pk)).order_by("occurred_at", "id"),
            user=request.user,
            customer=None,
        ),
    }
    return render(request, "inventory/transfer_detail.html", context)


@login_required
@permission_required("inventory.change_transfer", raise_exception=True)
@require_POST
def transfer_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Ship, receive or cancel a transfer; a refusal is shown and changes nothing."""
    if step not in STEPS:
        raise Http404("unknown step")
    transfer = _transfer_or_404(code)
    action, _before = STEPS[step]
    done = {
        "ship": _("Transfer %(code)s shipped: the stock left %(warehouse)s."),
        "receive": _("Transfer %(code)s received into %(warehouse)s."),
        "cancel": _("Transfer %(code)s cancelled."),
    }
    try:
        action(actor=request.user, transfer=transfer)
    except DomainError as exc:
        details = [field.message for field in exc.errors]
        messages.error(request, " ".join([str(exc), *details]))
    else:
        warehouse = transfer.destination.name if step == "receive" else transfer.source.name
        messages.success(request, done[step] % {"code": transfer.code, "warehouse": warehouse})
    return redirect("inventory:transfer_detail", code=transfer.code)


@login_required
@permission_required("inventory.view_channelstock", raise_exception=True)
@require_GET
def availability(request: HttpRequest) -> HttpResponse:
    """Available to sell per SKU and channel (as last published to the channels), with stock on hand."""
    channels = selectors.selling_channels()
    channel = request.GET.get("channel", "").strip()
    channel = channel if channel in {c.code for c in channels} else ""
    query = request.GET.get("q", "").strip()[:64]
    page = page_number(request)
    products, has_next = page_of(selectors.availability_products(query=query, channel=channel), page, PAGE_SIZE)
    ids = [p.pk for p in products]
    grid = selectors.availability_grid(ids)
    on_hand = selectors.on_hand_totals(ids)
    shown = [c for c in channels if not channel or c.code == channel]
    rows = [
        {
            "product": product,
            "on_hand": on_hand.get(product.pk, 0),
            "cells": [grid.get(product.pk, {}).get(c.pk) for c in shown],
        }
        for product in products
    ]
    context = {
        "rows": rows,
        "channels": channels,
        "shown": shown,
        "channel": channel,
        "query": query,
        "page": page,
        "has_next": has_next,
    }
    return render(request, "inventory/availability.html", context)
