"""Consumer-law rules around a repair: the loan device (sản phẩm tương tự dùng tạm) and the repeated-defect
rule (replacement or refund through returns after the policy's number of failed repairs). Repairs sent to
the brand's service centre: `outsourcing.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.repairs.models import (
    LoanDevice,
    RepairOrder,
    RepairOutcome,
    RepairStatus,
)
from haumai.repairs.services.common import lock, payload_for, refuse, require_state, transition
from haumai.returns import services as returns_services
from haumai.returns.models import Condition, Logistics, Reason, Resolution
from haumai.warranty.models import Warranty

S = RepairStatus
REPLACEMENT_RESOLUTIONS = {"replacement": Resolution.EXCHANGE_SAME, "refund": Resolution.REFUND_ORIGINAL}


def lend_device(
    *, actor: Any, order: RepairOrder, description: str, unit: Unit | None = None, due_back_on: dt.date | None = None
) -> LoanDevice:
    """Lend a similar product while the unit is in service; tracked until it comes back."""
    text = description.strip() or (f"{unit.product.name} · {unit.serial}" if unit else "")
    if not text:
        raise refuse("description", _("Say which device is lent"), "required")
    if due_back_on is not None and due_back_on < clock.today():
        raise refuse("due_back_on", _("The return date is in the past"), "past")
    with transaction.atomic():
        locked = lock(order)
        if locked.status in (S.RETURNED, S.CLOSED):
            raise refuse("order", _("The repair is finished: nothing to lend for"), "finished")
        if locked.loans.filter(returned_at__isnull=True).exists():
            raise Conflict(_("A loan device for %(code)s is still out") % {"code": locked.code}, code="loan_out")
        try:
            with transaction.atomic():
                loan = LoanDevice.objects.create(
                    order=locked, unit=unit, description=text[:200], lent_at=clock.now(), due_back_on=due_back_on
                )
        except IntegrityError as exc:
            raise Conflict(_("That device is already lent to another customer"), code="loan_unit_out") from exc
        record_event(
            name="repair.loan_lent",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, device=loan.description),
        )
    return loan


def take_back_loan(*, actor: Any, loan: LoanDevice, condition: str = "") -> LoanDevice:
    """The loan device came back (with its condition)."""
    with transaction.atomic():
        locked = LoanDevice.objects.select_for_update().select_related("order").get(pk=loan.pk)
        if locked.returned_at is not None:
            raise Conflict(_("This loan device was already returned"), code="already_returned")
        locked.returned_at = clock.now()
        locked.condition_back = condition.strip()[:300]
        locked.save(update_fields=["returned_at", "condition_back"])
        order = lock(locked.order)
        record_event(
            name="repair.loan_returned",
            customer=order.customer,
            subject=order,
            actor=actor,
            payload=payload_for(order, device=locked.description, condition=locked.condition_back),
        )
    return locked


def replace_instead(*, actor: Any, order: RepairOrder, resolution: str, note: str) -> RepairOrder:
    """The same defect came back after the allowed repairs: open a return (exchange or refund) for the
    unit in the returns app, record why, and close the repair with that outcome."""
    if resolution not in REPLACEMENT_RESOLUTIONS:
        raise refuse("resolution", _("Choose replacement or refund"), "invalid_choice")
    if not note.strip():
        raise refuse("note", _("Say why the unit is replaced or refunded"), "required")
    with transaction.atomic():
        locked = lock(order)
        if not locked.replacement_due:
            raise Conflict(
                _("Repair %(code)s has not reached the repeated-defect limit") % {"code": locked.code},
                code="not_due",
            )
        require_state(locked, _("replace or refund the unit"), S.RECEIVED, S.DIAGNOSING, S.QUOTED, S.DECLINED)
        warranty = (
            Warranty.objects.filter(unit=locked.unit, customer=locked.customer, order_line__isnull=False)
            .select_related("order_line__order")
            .order_by("-created_at")
            .first()
        )
        if warranty is None or warranty.order_line is None:
            raise refuse("order", _("No sale of this unit to the customer is on record"), "no_order")
        why = (
            _("%(reason)s Repair %(code)s, attempt %(attempt)s: %(note)s")
            % {"reason": locked.replacement_note, "code": locked.code, "attempt": locked.attempt, "note": note.strip()}
        )[:500]
        request, _created = returns_services.create_return(
            actor=actor,
            customer=locked.customer,
            order=warranty.order_line.order,
            lines=[
                returns_services.LineInput(
                    order_line_id=warranty.order_line_id, serial=locked.unit.serial, condition=Condition.USED
                )
            ],
            reason=Reason.DEFECTIVE,
            resolution=REPLACEMENT_RESOLUTIONS[resolution],
            logistics=Logistics.STORE_DROPOFF,
            customer_note=why,
            override_note=why,
            idempotency_key=f"repair-replace-{locked.code}",
        )
        locked.outcome = RepairOutcome.REPLACEMENT if resolution == "replacement" else RepairOutcome.REFUND
        locked.replacement_return_code = request.code
        locked.replacement_note = why
        locked.closed_at = clock.now()
        transition(
            locked,
            to=S.CLOSED,
            actor=actor,
            event="repair.replaced_instead",
            note=why,
            payload={"return_code": request.code, "resolution": resolution, "attempt": locked.attempt},
            fields=["outcome", "replacement_return_code", "replacement_note", "closed_at"],
        )
    return locked
