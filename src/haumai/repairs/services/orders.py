"""The repair order's state machine after intake: assign, diagnose, pause for parts, repair, QC, pickup,
hand-back (the warranty end date moves by the days in service) and close."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Forbidden
from haumai.events.services import record_event
from haumai.repairs.models import PAUSABLE_STATUSES, RepairOrder, RepairOutcome, RepairStatus
from haumai.repairs.services.common import (
    WORK_PERMISSION,
    local_day,
    lock,
    payload_for,
    refuse,
    require_state,
    require_technician,
    transition,
    wrong_state,
)
from haumai.warranty import services as warranty_services
from haumai.warranty.models import ClaimStatus, ExtensionKind, Warranty, WarrantyStatus

S = RepairStatus


def _note(text: str) -> str:
    return (text or "").strip()[:500]


def assign(*, actor: Any, order: RepairOrder, technician: Any) -> RepairOrder:
    """Give the order to a technician: a manager assigns anyone; a technician takes an unassigned order."""
    if technician is None or not technician.is_active or not technician.has_perm(WORK_PERMISSION):
        raise refuse("technician", _("Choose an active technician"), "not_technician")
    with transaction.atomic():
        locked = lock(order)
        if locked.status == S.CLOSED:
            raise wrong_state(locked, _("assign it"))
        manager = actor.has_perm("repairs.assign_repairorder")
        taking = actor.pk == technician.pk and locked.technician_id is None and actor.has_perm(WORK_PERMISSION)
        if not (manager or taking):
            raise Forbidden(_("Only a manager can assign a repair to someone else"))
        if locked.technician_id == technician.pk:
            return locked
        locked.technician = technician
        locked.save(update_fields=["technician", "updated_at"])
        record_event(
            name="repair.assigned",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, technician=technician.get_full_name() or technician.get_username()),
        )
    return locked


def _take_if_unassigned(actor: Any, order: RepairOrder) -> None:
    require_technician(actor, order)
    if order.technician_id is None:
        order.technician = actor
        order.save(update_fields=["technician", "updated_at"])


def start_diagnosis(*, actor: Any, order: RepairOrder) -> RepairOrder:
    """The technician takes the unit to the bench (and the order, if nobody has it)."""
    with transaction.atomic():
        locked = lock(order)
        if not locked.intake_done:
            raise refuse("intake", _("The unit has not been checked in yet: record the intake first"), "no_intake")
        require_state(locked, _("start the diagnosis"), S.RECEIVED)
        _take_if_unassigned(actor, locked)
        transition(locked, to=S.DIAGNOSING, actor=actor, event="repair.diagnosis_started")
    return locked


def wait_for_parts(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """Pause the order until parts arrive (the technician's clock stops)."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("wait for parts"), *PAUSABLE_STATUSES)
        require_technician(actor, locked)
        pause(locked, actor=actor, note=note)
    return locked


def pause(order: RepairOrder, *, actor: Any, note: str = "", part: str = "") -> None:
    """Move a locked, pausable order to waiting_parts, remembering where it was."""
    order.paused_from = order.status
    transition(
        order,
        to=S.WAITING_PARTS,
        actor=actor,
        event="repair.parts_awaited",
        note=_note(note),
        payload={"part": part, "note": _note(note)},
        fields=["paused_from"],
    )


def resume_work(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """The parts arrived: back to the state the order paused in."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("resume it"), S.WAITING_PARTS)
        require_technician(actor, locked)
        target = locked.paused_from or S.REPAIRING
        locked.paused_from = ""
        transition(locked, to=target, actor=actor, event="repair.resumed", note=_note(note), fields=["paused_from"])
    return locked


def start_repair(*, actor: Any, order: RepairOrder) -> RepairOrder:
    """Start repairing an approved order."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("start the repair"), S.APPROVED)
        _take_if_unassigned(actor, locked)
        transition(locked, to=S.REPAIRING, actor=actor, event="repair.started")
    return locked


def finish_repair(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """The assigned technician finished: the unit goes to quality check."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("finish the repair"), S.REPAIRING)
        require_technician(actor, locked)
        if locked.outsourced_to is not None and locked.outsourced_at is not None and locked.outsource_back_at is None:
            raise refuse("outsource", _("The unit is still at %(name)s") % {"name": locked.outsourced_to.name}, "away")
        locked.technician_note = _note(note) or locked.technician_note
        transition(locked, to=S.QC, actor=actor, event="repair.repaired", note=_note(note), fields=["technician_note"])
    return locked


def _require_worker(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(WORK_PERMISSION):
        raise Forbidden(_("Only a technician can do the quality check"))


def pass_qc(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """Quality check passed: ready for pickup (any technician may check)."""
    _require_worker(actor)
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("pass the quality check"), S.QC)
        locked.qc_note = _note(note)
        locked.ready_at = clock.now()
        locked.outcome = RepairOutcome.REPAIRED
        transition(
            locked,
            to=S.READY,
            actor=actor,
            event="repair.ready",
            note=_note(note),
            payload={"qc": "passed"},
            fields=["qc_note", "ready_at", "outcome"],
        )
    return locked


def fail_qc(*, actor: Any, order: RepairOrder, note: str) -> RepairOrder:
    """Quality check failed: back to repairing, with why."""
    _require_worker(actor)
    if not _note(note):
        raise refuse("note", _("Say what failed the check"), "required")
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("fail the quality check"), S.QC)
        locked.qc_note = _note(note)
        locked.qc_failures += 1
        transition(
            locked,
            to=S.REPAIRING,
            actor=actor,
            event="repair.qc_failed",
            note=_note(note),
            payload={"note": _note(note)},
            fields=["qc_note", "qc_failures"],
        )
    return locked


def return_unrepaired(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """The customer declined the quote: the unit is ready for pickup as it came."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("give it back unrepaired"), S.DECLINED)
        locked.outcome = RepairOutcome.NOT_REPAIRED
        locked.ready_at = clock.now()
        transition(
            locked,
            to=S.READY,
            actor=actor,
            event="repair.ready",
            note=_note(note),
            payload={"qc": "", "outcome": RepairOutcome.NOT_REPAIRED},
            fields=["outcome", "ready_at"],
        )
    return locked


def service_days(order: RepairOrder) -> int:
    """Calendar days the unit was with us, both ends counted (received 01/03, back 05/03 -> 5)."""
    end = order.returned_at or clock.now()
    return (local_day(end) - local_day(order.received_at)).days + 1


def _live_warranty(order: RepairOrder) -> Warranty | None:
    if order.claim is not None:
        warranty = order.claim.warranty
        return warranty if warranty.status == WarrantyStatus.ACTIVE else None
    return (
        Warranty.objects.filter(unit=order.unit, customer=order.customer, status=WarrantyStatus.ACTIVE)
        .order_by("-created_at")
        .first()
    )


def hand_back(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """The customer collected the unit. A warranty repair moves the warranty's end date by the days in
    service (consumer-law rule) and completes the claim."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("hand it back"), S.READY)
        locked.returned_at = clock.now()
        extended = 0
        warranty = _live_warranty(locked) if locked.under_warranty else None
        if warranty is not None and warranty.ends_on is not None:
            extended = service_days(locked)
            warranty_services.extend_warranty(
                actor=actor,
                warranty=warranty,
                kind=ExtensionKind.SERVICE_DAYS,
                days=extended,
                reference=locked.code,
                service_from=local_day(locked.received_at),
                service_until=local_day(locked.returned_at),
                note=_("Days in warranty service (%(code)s)") % {"code": locked.code},
            )
        locked.service_days = extended
        if locked.claim is not None and locked.claim.status == ClaimStatus.IN_SERVICE:
            warranty_services.complete_service(actor=actor, claim=locked.claim, reference=locked.code)
        transition(
            locked,
            to=S.RETURNED,
            actor=actor,
            event="repair.returned",
            note=_note(note),
            payload={"service_days": extended, "outcome": locked.outcome},
            fields=["returned_at", "service_days"],
        )
    return locked


def close(*, actor: Any, order: RepairOrder, note: str = "") -> RepairOrder:
    """Close a handed-back order (nothing left to do)."""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("close it"), S.RETURNED)
        locked.closed_at = clock.now()
        transition(locked, to=S.CLOSED, actor=actor, event="repair.closed", note=_note(note), fields=["closed_at"])
    return locked


def technicians() -> Any:
    """Active users who may work repairs (for assignment lists)."""
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name="technician").order_by("username").distinct()
