"""Receiving returns at a warehouse or store: scan, check lines, inspect, grade and restock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from haumai.catalog import services as catalog_services
from haumai.catalog.models import UnitStatus
from haumai.core import clock
from haumai.core.errors import Conflict, NotFound
from haumai.events.services import record_event
from haumai.inventory import services as inventory_services
from haumai.inventory.models import Grade, MoveReason, Warehouse
from haumai.returns import dispositions, logistics
from haumai.returns.models import Disposition, Inspection, ReturnLine, ReturnRequest, Status
from haumai.returns.services.common import (
    OPEN_STATUSES,
    UploadedPhoto,
    check_photos,
    clear_problem,
    lock,
    payload_for,
    refuse,
    save_photos,
    transition,
)

RECEIVABLE = (Status.APPROVED, Status.AWAITING_PICKUP, Status.AWAITING_DROPOFF, Status.IN_TRANSIT)
UNIT_STATUS_FOR: dict[str, str] = {
    Disposition.RESTOCK: UnitStatus.IN_STOCK,
    Disposition.REFURBISH: UnitStatus.IN_REPAIR,
    Disposition.VENDOR_RETURN: UnitStatus.RETURNED,
    Disposition.SCRAP: UnitStatus.SCRAPPED,
    Disposition.RETURN_TO_CUSTOMER: UnitStatus.SOLD,
}


def find_for_scan(text: str) -> ReturnRequest:
    """The return a scanned text points at: RMA code, drop-off code, carrier label, shipment or serial."""
    raw = (text or "").strip()
    if not raw or len(raw) > 200:
        raise NotFound(_("Scan or type a return code, drop-off code, carrier label or serial number"))
    code = raw.upper()
    base = ReturnRequest.objects.select_related("customer")
    found = base.filter(Q(code=code) | Q(dropoff_code=code)).first()
    found = found or base.filter(tracking_code=raw).exclude(tracking_code="").first()
    if found is None:
        shipment = logistics.shipment_matching(raw)
        reference = str(getattr(shipment, "reference", "") or "") if shipment is not None else ""
        if reference:
            found = base.filter(code=reference).first()
    if found is None:
        line = (
            ReturnLine.objects.filter(unit__serial=raw, request__status__in=OPEN_STATUSES)
            .select_related("request__customer")
            .order_by("-request_id")
            .first()
        )
        found = line.request if line else None
    if found is None:
        raise NotFound(
            _("No return matches “%(text)s”: check the code on the parcel or look the customer up") % {"text": raw[:60]}
        )
    return found


def receive_return(
    *,
    actor: Any,
    request: ReturnRequest,
    received: dict[int, int] | None = None,
    warehouse_code: str = "",
    serials: dict[int, str] | None = None,
) -> ReturnRequest:
    """Record what arrived (all lines unless `received` gives line id -> quantity). Idempotent.

    `serials` (line id -> scanned serial/IMEI) are checked against the unit the customer returned: a
    different unit (a swap) is refused and nothing is recorded.

    Missing quantities wait for the policy's grace period (due_at), then the return is resolved with
    what arrived.
    """
    with transaction.atomic():
        locked = lock(request)
        if locked.status not in RECEIVABLE:
            if locked.received_at is not None:
                return locked
            transition(locked, Status.RECEIVED, actor=actor)  # raises the clear invalid-transition error
        lines = list(locked.lines.select_related("product", "unit"))
        counts = {line.pk: line.quantity for line in lines} if received is None else dict(received)
        unknown = set(counts) - {line.pk for line in lines}
        if unknown:
            raise refuse(
                "lines", _("These lines are not part of return %(code)s") % {"code": locked.code}, "unknown_line"
            )
        for line in lines:
            quantity = counts.get(line.pk, 0)
            if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= line.quantity:
                raise refuse(
                    f"lines.{line.pk}",
                    _("Received quantity of %(sku)s must be between 0 and %(max)s")
                    % {"sku": line.product.sku, "max": line.quantity},
                )
        for line in lines:
            scanned = (serials or {}).get(line.pk, "").strip()
            unit = line.unit
            matches = unit is None or scanned in (unit.serial, unit.imei or "")
            if scanned and counts.get(line.pk, 0) and not matches:
                raise refuse(
                    f"lines.{line.pk}.serial",
                    _("Serial %(scanned)s is not the unit of this return (%(expected)s): keep the parcel aside")
                    % {"scanned": scanned[:64], "expected": unit.serial if unit else ""},
                    "serial_mismatch",
                )
        if not any(counts.values()):
            raise refuse("lines", _("Nothing was received: tick at least one item"), "required")
        if warehouse_code:
            warehouse = Warehouse.objects.filter(code=warehouse_code.strip()).first()
            if warehouse is None:
                raise refuse(
                    "warehouse", _("Unknown warehouse '%(code)s'") % {"code": warehouse_code}, "unknown_warehouse"
                )
            locked.warehouse = warehouse
        missing = []
        for line in lines:
            line.received_quantity = counts.get(line.pk, 0)
            if line.missing_quantity:
                missing.append({"sku": line.product.sku, "missing": line.missing_quantity})
        ReturnLine.objects.bulk_update(lines, ["received_quantity"])
        if missing:
            grace = locked.policy.missing_item_grace_days if locked.policy else 7
            locked.due_at = clock.now() + dt.timedelta(days=grace)
        locked.save(update_fields=["warehouse", "due_at", "updated_at"])
        clear_problem(locked)
        transition(
            locked,
            Status.RECEIVED,
            actor=actor,
            warehouse=locked.warehouse.code if locked.warehouse else None,
            missing=missing,
        )
    return locked


def inspect_line(
    *,
    actor: Any,
    line: ReturnLine,
    grade: str,
    disposition: str,
    warehouse_code: str = "",
    notes: str = "",
    photos: Sequence[UploadedPhoto] = (),
    override_reason: str = "",
) -> Inspection:
    """Grade the received units of one line and act on them; a restock moves stock in the same transaction.

    An empty `disposition` takes what the disposition rules propose for the grade, reason and category
    (and their restock warehouse); another choice than the proposal needs `returns.override_disposition`
    and an `override_reason`.

    When every received unit is inspected the return becomes `inspected` and is resolved (refund,
    store credit or exchange) unless it still waits for missing items.
    """
    if grade not in (Grade.A, Grade.B, Grade.C, Grade.D):
        raise refuse("grade", _("Choose a grade: A, B, C or D"), "invalid_choice")
    if disposition and disposition not in Disposition.values:
        raise refuse("disposition", _("Choose what happens to the item"), "invalid_choice")
    if len(override_reason) > 500:
        raise refuse("override_reason", _("The reason is longer than 500 characters"), "too_long")
    checked_photos = check_photos(photos)
    with transaction.atomic():
        request = lock(line.request)
        line = ReturnLine.objects.select_related("product__category__parent", "unit").get(pk=line.pk)
        proposal = dispositions.propose(grade=grade, reason=request.reason, category=line.product.category)
        disposition, override = _choose_disposition(actor, proposal, disposition, override_reason)
        if disposition == Disposition.RESTOCK and grade == Grade.D:
            raise refuse("disposition", _("Grade D items are scrapped or returned to the vendor, not restocked"))
        done = sum(i.quantity for i in line.inspections.all())
        quantity = line.received_quantity - done
        if quantity <= 0:
            existing = line.inspections.order_by("-pk").first()
            if existing is not None:
                return existing  # inspected already: a repeated submit changes nothing
            raise Conflict(_("Nothing of this line was received"), "not_received")
        if request.status != Status.RECEIVED:
            raise refuse(
                "status",
                _("Return %(code)s is %(status)s: only received returns are inspected")
                % {"code": request.code, "status": request.get_status_display()},
                "invalid_transition",
            )
        warehouse = request.warehouse
        if proposal is not None and not override and proposal.warehouse is not None:
            warehouse = proposal.warehouse
        if warehouse_code:
            warehouse = Warehouse.objects.filter(code=warehouse_code.strip()).first()
            if warehouse is None:
                raise refuse(
                    "warehouse", _("Unknown warehouse '%(code)s'") % {"code": warehouse_code}, "unknown_warehouse"
                )
        if disposition == Disposition.RESTOCK and warehouse is None:
            raise refuse("warehouse", _("Choose the warehouse to restock into"), "required")
        move = None
        if disposition == Disposition.RESTOCK:
            assert warehouse is not None
            move = inventory_services.move_stock(
                actor=actor,
                product=line.product,
                warehouse=warehouse,
                grade=grade,
                quantity=quantity,
                reason=MoveReason.RETURN_RESTOCK,
                reference=request.code,
                unit=line.unit,
                repeat_restock=True,  # a line received in parts is inspected (and restocked) in parts
            )
        if line.unit is not None:
            catalog_services.mark_unit_returned(actor=actor, unit=line.unit, status=UNIT_STATUS_FOR[disposition])
        inspection = Inspection.objects.create(
            line=line,
            quantity=quantity,
            grade=grade,
            disposition=disposition,
            warehouse=warehouse,
            notes=notes.strip()[:2000],
            proposed_disposition=proposal.disposition if proposal else "",
            override_reason=override,
            stock_move_id=move.pk if move else None,
            inspected_by=actor if getattr(actor, "is_authenticated", False) else None,
            inspected_at=clock.now(),
        )
        save_photos(request, checked_photos, inspection=inspection)
        record_event(
            name="return.line_inspected",
            customer=request.customer,
            subject=request,
            actor=actor,
            payload=payload_for(
                request,
                sku=line.product.sku,
                serial=line.unit.serial if line.unit else None,
                quantity=quantity,
                grade=grade,
                disposition=disposition,
                proposed_disposition=proposal.disposition if proposal else None,
                override_reason=override or None,
                warehouse=warehouse.code if warehouse else None,
            ),
        )
        if _all_inspected(request):
            transition(request, Status.INSPECTED, actor=actor)
            from haumai.returns.services.resolution import resolve_return

            # In the same transaction: an inspected return never waits without its refund/exchange.
            resolve_return(actor=actor, request=request)
    return inspection


def _choose_disposition(actor: Any, proposal: Any, chosen: str, reason: str) -> tuple[str, str]:
    """The disposition applied and the override reason kept ("" when the rules were followed)."""
    if not chosen:
        if proposal is None:
            raise refuse("disposition", _("Choose what happens to the item"), "required")
        return proposal.disposition, ""
    if proposal is None or chosen == proposal.disposition:
        return chosen, ""
    if not getattr(actor, "has_perm", lambda _perm: False)("returns.override_disposition"):
        raise refuse(
            "disposition",
            _("The rules send this item to “%(proposed)s”; only a manager may choose otherwise")
            % {"proposed": Disposition(proposal.disposition).label},
            "override_not_allowed",
        )
    if not reason.strip():
        raise refuse(
            "override_reason",
            _("Say why this item does not go to “%(proposed)s” as the rules propose")
            % {"proposed": Disposition(proposal.disposition).label},
            "required",
        )
    return chosen, reason.strip()


def _all_inspected(request: ReturnRequest) -> bool:
    for line in request.lines.prefetch_related("inspections"):
        if sum(i.quantity for i in line.inspections.all()) < line.received_quantity:
            return False
    return True
