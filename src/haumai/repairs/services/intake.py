"""Intake (giấy tiếp nhận bảo hành): a unit received at a service centre becomes a repair order with its
condition, accessories, photos, the customer's description and the promised completion date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.repairs.models import (
    OPEN_STATUSES,
    RepairOrder,
    RepairOrigin,
    RepairStateChange,
    RepairStatus,
    ServiceCenter,
)
from haumai.repairs.services.common import (
    REPAIR_PREFIX,
    UploadedPhoto,
    check_photos,
    payload_for,
    raise_if,
    save_photos,
)
from haumai.support.services import links as ticket_links
from haumai.warranty import services as warranty_services
from haumai.warranty.models import Claim, ClaimResolution, ClaimStatus

MAX_ACCESSORIES = 20
DEFAULT_ATTEMPTS_BEFORE_REPLACEMENT = 3


def clean_accessories(accessories: Sequence[str] | str) -> list[str]:
    """Accessories as a list of short labels (a comma/newline separated text is split)."""
    items = accessories.replace("\n", ",").split(",") if isinstance(accessories, str) else list(accessories)
    return [str(item).strip()[:80] for item in items if str(item).strip()]


def _check(
    unit: Unit | None,
    customer: Customer | None,
    service_center: ServiceCenter | None,
    description: str,
    condition: str,
    accessories: list[str],
) -> None:
    errors: list[FieldError] = []
    if unit is None:
        errors.append(FieldError("serial", _("Scan or type the unit's serial number"), "required"))
    if customer is None:
        errors.append(FieldError("customer", _("Choose the customer who brings the unit"), "required"))
    if service_center is None or not service_center.is_active:
        errors.append(FieldError("service_center", _("Choose an active service centre"), "required"))
    if len(description.strip()) < 3:
        errors.append(FieldError("description", _("Write down what the customer says is wrong"), "required"))
    elif len(description) > 4000:
        errors.append(FieldError("description", _("At most 4000 characters"), "too_long"))
    if len(condition) > 500:
        errors.append(FieldError("condition", _("At most 500 characters"), "too_long"))
    if len(accessories) > MAX_ACCESSORIES:
        errors.append(
            FieldError("accessories", _("At most %(count)s accessories") % {"count": MAX_ACCESSORIES}, "too_many")
        )
    raise_if(errors)


def _check_claim(claim: Claim, unit: Unit, customer: Customer) -> None:
    errors: list[FieldError] = []
    if claim.warranty.unit_id != unit.pk:
        errors.append(FieldError("claim", _("Claim %(code)s is for another unit") % {"code": claim.code}, "wrong_unit"))
    elif claim.customer_id != customer.pk:
        errors.append(
            FieldError(
                "claim", _("Claim %(code)s belongs to another customer") % {"code": claim.code}, "wrong_customer"
            )
        )
    elif claim.resolution != ClaimResolution.REPAIR or claim.status not in (
        ClaimStatus.ACCEPTED,
        ClaimStatus.IN_SERVICE,
    ):
        errors.append(
            FieldError(
                "claim",
                _("Claim %(code)s is not an accepted repair claim (%(status)s)")
                % {"code": claim.code, "status": ClaimStatus(claim.status).label},
                "claim_not_repair",
            )
        )
    raise_if(errors)


def _in_service_claim(unit: Unit, customer: Customer) -> Claim | None:
    return (
        Claim.objects.filter(
            warranty__unit=unit,
            customer=customer,
            status=ClaimStatus.IN_SERVICE,
            resolution=ClaimResolution.REPAIR,
        )
        .select_related("warranty")
        .first()
    )


def attempts_allowed(order: RepairOrder) -> int:
    """How many repairs of the same defect the policy allows before replacement or refund (default 3)."""
    if order.claim is None:
        return DEFAULT_ATTEMPTS_BEFORE_REPLACEMENT
    terms = order.claim.warranty.terms or {}
    return int(terms.get("repair_attempts_before_replacement") or DEFAULT_ATTEMPTS_BEFORE_REPLACEMENT)


def _check_repeat(repeat_of: RepairOrder, unit: Unit) -> None:
    if repeat_of.unit_id != unit.pk:
        raise_if([FieldError("repeat_of", _("Repair %(code)s is another unit") % {"code": repeat_of.code})])
    if repeat_of.status in OPEN_STATUSES and repeat_of.status != RepairStatus.RETURNED:
        raise_if([FieldError("repeat_of", _("Repair %(code)s is still open") % {"code": repeat_of.code}, "still_open")])


def promised_at(service_center: ServiceCenter, received_at: dt.datetime) -> dt.datetime:
    """The promised completion: received + the centre's turnaround target."""
    return received_at + dt.timedelta(hours=service_center.turnaround_target_hours or 72)


def receive_unit(
    *,
    actor: Any,
    unit: Unit | None,
    customer: Customer | None,
    service_center: ServiceCenter | None,
    description: str,
    condition: str,
    accessories: Sequence[str] | str,
    claim: Claim | None = None,
    photos: Sequence[UploadedPhoto] = (),
    source_return: Any = None,
    repeat_of: RepairOrder | None = None,
    origin: str = RepairOrigin.COUNTER,
    actor_label: str = "",
    ticket_code: str = "",
) -> RepairOrder:
    """Receive a unit at a service centre: a repair order in `received` with its written intake.

    A warranty repair carries its claim (accepted, resolution repair); when none is given the unit's
    claim in service is used. An order opened earlier from that claim (waiting for the unit) gets its
    intake completed instead of a second order. With `ticket_code` the support ticket the repair
    comes from is linked to it in the same transaction.
    """
    items = clean_accessories(accessories)
    _check(unit, customer, service_center, description, condition, items)
    assert unit is not None and customer is not None and service_center is not None
    ticket = ticket_links.ticket_to_link(code=ticket_code, customer=customer, actor=actor)
    if claim is not None:
        _check_claim(claim, unit, customer)
    if repeat_of is not None:
        _check_repeat(repeat_of, unit)
    checked = check_photos(photos)
    with transaction.atomic():
        claim = claim or _in_service_claim(unit, customer)
        if claim is not None and claim.status == ClaimStatus.ACCEPTED:
            claim = warranty_services.resolve_claim(actor=actor, claim=claim)
        now = clock.now()
        waiting = (
            RepairOrder.objects.select_for_update(of=("self",))
            .filter(claim=claim, intake_done=False)
            .exclude(status=RepairStatus.CLOSED)
            .first()
            if claim is not None
            else None
        )
        open_order = RepairOrder.objects.filter(unit=unit).exclude(status=RepairStatus.CLOSED).first()
        if open_order is not None and open_order != waiting:
            raise Conflict(
                _("Serial %(serial)s is already in repair %(code)s") % {"serial": unit.serial, "code": open_order.code},
                code="already_in_repair",
            )
        order = waiting or RepairOrder(code=next_code(REPAIR_PREFIX), unit=unit, customer=customer, origin=origin)
        order.claim = claim
        order.under_warranty = bool(claim is not None and claim.covered) or bool(
            claim is not None and any(n.get("code") == "overridden" for n in claim.notes)
        )
        order.service_center = service_center
        order.description = description.strip()[:4000]
        order.condition = condition.strip()[:500]
        order.accessories = items
        order.received_at = now
        order.promised_at = promised_at(service_center, now)
        order.intake_done = True
        order.source_return = source_return
        if repeat_of is not None:
            order.repeat_of = repeat_of
            order.attempt = repeat_of.attempt + 1
            allowed = attempts_allowed(order)
            if repeat_of.attempt >= allowed:
                order.replacement_due = True
                order.replacement_note = (
                    _("Same defect after %(count)s repairs (limit %(limit)s): offer a replacement or a refund")
                    % {"count": repeat_of.attempt, "limit": allowed}
                )[:500]
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError as exc:
            raise Conflict(_("This unit or claim already has an open repair"), code="already_in_repair") from exc
        save_photos(order, checked)
        if waiting is None:
            RepairStateChange.objects.create(
                order=order,
                from_status="",
                to_status=RepairStatus.RECEIVED,
                at=now,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_label=(actor_label or getattr(actor, "username", "") or "system")[:80],
            )
        record_event(
            name="repair.received",
            customer=order.customer,
            subject=order,
            actor=actor,
            actor_label=actor_label,
            payload=payload_for(
                order,
                claim=claim.code if claim else "",
                promised_on=order.promised_at.astimezone(clock.LOCAL_TZ).date().isoformat(),
                attempt=order.attempt,
            ),
        )
        if order.replacement_due:
            record_event(
                name="repair.replacement_offered",
                customer=order.customer,
                subject=order,
                actor=actor,
                payload=payload_for(order, attempt=order.attempt, reason=order.replacement_note),
            )
        if ticket is not None:
            ticket_links.link_ticket(
                actor=actor, ticket=ticket, kind="repair", subject=order, record_code=order.code, repair_code=order.code
            )
    return order


def open_for_claim(*, actor: Any, claim: Claim, service_center: ServiceCenter) -> RepairOrder | None:
    """A repair claim went into service: open its order, waiting for the unit (idempotent)."""
    with transaction.atomic():
        if RepairOrder.objects.filter(claim=claim).exclude(status=RepairStatus.CLOSED).exists():
            return None
        unit = claim.warranty.unit
        if RepairOrder.objects.filter(unit=unit).exclude(status=RepairStatus.CLOSED).exists():
            return None
        now = clock.now()
        order = RepairOrder(
            code=next_code(REPAIR_PREFIX),
            unit=unit,
            customer=claim.customer,
            claim=claim,
            origin=RepairOrigin.CLAIM,
            under_warranty=claim.covered or any(n.get("code") == "overridden" for n in claim.notes),
            intake_done=False,
            service_center=service_center,
            description=claim.description[:4000],
            received_at=now,
            promised_at=promised_at(service_center, now),
        )
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError:
            return None
        RepairStateChange.objects.create(
            order=order, from_status="", to_status=RepairStatus.RECEIVED, at=now, actor_label="system"
        )
        record_event(
            name="repair.opened",
            customer=order.customer,
            subject=order,
            actor=actor,
            payload=payload_for(order, claim=claim.code),
        )
    return order
