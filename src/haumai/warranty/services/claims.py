"""Warranty claims: filed with a coverage check (reasons line by line), decided, then resolved by repair
(stays in service until the repairs app takes it), replacement (a fresh warranty) or refund (a return in the
returns app: `refunding.py`)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog import services as catalog_services
from haumai.catalog.models import Unit, UnitStatus
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.support.services import links as ticket_links
from haumai.warranty import policy
from haumai.warranty.models import (
    OPEN_CLAIM_STATUSES,
    Claim,
    ClaimResolution,
    ClaimStatus,
    ExtendedCoverage,
    PlanStatus,
    Warranty,
)
from haumai.warranty.services.common import CLAIM_PREFIX, refuse
from haumai.warranty.services.refunding import open_refund_return
from haumai.warranty.services.starting import start_replacement


def _payload(claim: Claim, **extra: Any) -> dict[str, Any]:
    return {
        "code": claim.code,
        "warranty": claim.warranty.code,
        "serial": claim.warranty.unit.serial,
        "status": claim.status,
        "covered": claim.covered,
        "resolution": claim.resolution,
        **extra,
    }


def _plan_end(warranty: Warranty) -> Any:
    plans = ExtendedCoverage.objects.filter(warranty=warranty, status=PlanStatus.ACTIVE).order_by("-ends_on")
    first = plans.first()
    return first.ends_on if first else None


def coverage_for(warranty: Warranty) -> policy.CoverageDecision:
    """Whether a claim filed today on this warranty would be covered, with the reasons."""
    return policy.check_coverage(warranty, today=clock.today(), plan_ends_on=_plan_end(warranty))


def file_claim(
    *, actor: Any, warranty: Warranty, description: str, origin: str, actor_label: str = "", ticket_code: str = ""
) -> Claim:
    """Open a claim on a warranty; the coverage decision and its reasons are stored with it.

    With `ticket_code` the support ticket the claim comes from is linked to it in the same transaction.
    """
    text = description.strip()
    if len(text) < 5:
        raise refuse("description", _("Describe the problem (at least a few words)"), "required")
    ticket = ticket_links.ticket_to_link(code=ticket_code, customer=warranty.customer, actor=actor)
    with transaction.atomic():
        locked = (
            Warranty.objects.select_for_update(of=("self",))
            .select_related("unit", "customer", "replaced_by")
            .get(pk=warranty.pk)
        )
        open_claim = Claim.objects.filter(warranty=locked, status__in=OPEN_CLAIM_STATUSES).first()
        if open_claim is not None:
            raise Conflict(
                _("Claim %(code)s on this unit is still open") % {"code": open_claim.code}, code="open_claim"
            )
        decision = coverage_for(locked)
        if locked.status in ("replaced", "void"):
            raise refuse("warranty", decision.messages[0], locked.status)
        claim = Claim(
            code=next_code(CLAIM_PREFIX),
            warranty=locked,
            customer=locked.customer,
            origin=origin,
            description=text[:4000],
            covered=decision.covered,
            notes=decision.notes,
            submitted_at=clock.now(),
        )
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError as exc:
            raise Conflict(_("A claim on this unit is already open"), code="open_claim") from exc
        record_event(
            name="warranty.claimed",
            customer=claim.customer,
            subject=claim,
            actor=actor,
            actor_label=actor_label,
            payload=_payload(claim),
        )
        if ticket is not None:
            ticket_links.link_ticket(
                actor=actor, ticket=ticket, kind="claim", subject=claim, record_code=claim.code, warranty=locked
            )
    return claim


def _lock(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("warranty__unit__product", "warranty__customer", "customer")
        .get(pk=claim.pk)
    )


def decide_claim(*, actor: Any, claim: Claim, accept: bool, resolution: str = "", note: str = "") -> Claim:
    """Accept (with a resolution) or reject a submitted claim; accepting an uncovered claim needs a note."""
    with transaction.atomic():
        locked = _lock(claim)
        if locked.status != ClaimStatus.SUBMITTED:
            raise Conflict(
                _("Claim %(code)s was already decided (%(status)s)")
                % {"code": locked.code, "status": ClaimStatus(locked.status).label},
                code="already_decided",
            )
        if accept:
            if resolution not in ClaimResolution.values:
                raise refuse("resolution", _("Choose repair, replacement or refund"), "required")
            if not locked.covered:
                if not note.strip():
                    raise refuse("note", _("Say why an uncovered claim is accepted"), "required")
                locked.notes = [
                    *locked.notes,
                    {"code": "overridden", "params": {"user": actor.get_username(), "note": note.strip()[:200]}},
                ]
            locked.status = ClaimStatus.ACCEPTED
            locked.resolution = resolution
        else:
            if not note.strip():
                raise refuse("note", _("Say why the claim is rejected"), "required")
            locked.status = ClaimStatus.REJECTED
        locked.decision_note = note.strip()[:500]
        locked.decided_at = clock.now()
        locked.save(update_fields=["status", "resolution", "notes", "decision_note", "decided_at", "updated_at"])
        if accept:
            record_event(
                name="warranty.claim_accepted",
                customer=locked.customer,
                subject=locked,
                actor=actor,
                payload=_payload(locked, note=locked.decision_note),
            )
        else:
            record_event(
                name="warranty.claim_rejected",
                customer=locked.customer,
                subject=locked,
                actor=actor,
                payload=_payload(locked, note=locked.decision_note),
            )
    return locked


def _replacement_unit(old: Unit, serial: str, imei: str | None, actor: Any) -> Unit:
    existing = Unit.objects.select_for_update().filter(serial=serial.strip()).first()
    if existing is None:
        return catalog_services.create_unit(
            actor=actor, product=old.product, serial=serial, imei=imei, status=UnitStatus.SOLD
        )
    if existing.product_id != old.product_id:
        raise refuse("serial", _("Serial %(serial)s is another product") % {"serial": existing.serial}, "wrong_product")
    if existing.status != UnitStatus.IN_STOCK:
        raise refuse("serial", _("Serial %(serial)s is not in stock") % {"serial": existing.serial}, "not_in_stock")
    Unit.objects.filter(pk=existing.pk).update(status=UnitStatus.SOLD)
    return existing


def center_choices(claim: Claim) -> list[Any]:
    """The service centres that may handle the claim's repair: our own centres, and the brand's authorised
    centres when the warranty's terms make the brand's service network responsible (repairs app)."""
    from haumai.repairs import selectors as repair_selectors

    centers = list(repair_selectors.service_centers())
    brand = (claim.warranty.terms or {}).get("responsibility") == "brand"
    return [center for center in centers if center.kind == "own" or brand]


def _checked_center(claim: Claim, code: str) -> str:
    code = code.strip()[:40]
    if not code:
        return ""
    if claim.resolution != ClaimResolution.REPAIR:
        raise refuse("service_center", _("A service centre is chosen only for a repair"), "not_repair")
    from haumai.repairs import selectors as repair_selectors

    center = repair_selectors.service_centers().filter(code=code).first()
    if center is None:
        raise refuse("service_center", _("Choose an active service centre"), "unknown_center")
    if center.kind == "brand" and (claim.warranty.terms or {}).get("responsibility") != "brand":
        raise refuse(
            "service_center",
            _("The retailer is responsible for this warranty: choose one of our service centres"),
            "not_brand_warranty",
        )
    return center.code


def resolve_claim(
    *,
    actor: Any,
    claim: Claim,
    replacement_serial: str = "",
    replacement_imei: str | None = None,
    service_center: str = "",
    refund_method: str = "",
    bank_account: dict[str, str] | None = None,
) -> Claim:
    """Carry out an accepted claim: repair -> in service (at the chosen centre: one of ours, or the brand's
    when the brand is responsible); replacement -> new unit, fresh warranty; refund -> a return (RMA) in the
    returns app that refunds through payments once the unit is received (`refund_method`: refund_original,
    bank_transfer with `bank_account`, cash or store_credit); the claim is resolved with its return code.
    Twice (a double click): the second finds the claim resolved and is refused; nothing is opened twice."""
    with transaction.atomic():
        locked = _lock(claim)
        if locked.status != ClaimStatus.ACCEPTED:
            raise Conflict(
                _("Only an accepted claim can be resolved (claim %(code)s is %(status)s)")
                % {"code": locked.code, "status": ClaimStatus(locked.status).label},
                code="invalid_transition",
            )
        warranty = locked.warranty
        extra: dict[str, Any] = {}
        locked.service_center_code = _checked_center(locked, service_center)
        if locked.resolution == ClaimResolution.REPAIR:
            locked.status = ClaimStatus.IN_SERVICE
            extra = {"service_center": locked.service_center_code}
        elif locked.resolution == ClaimResolution.REPLACEMENT:
            if not replacement_serial.strip():
                raise refuse("replacement_serial", _("Scan or type the serial of the replacing unit"), "required")
            unit = _replacement_unit(warranty.unit, replacement_serial, replacement_imei, actor)
            fresh = start_replacement(actor=actor, old=warranty, unit=unit, reference=locked.code)
            locked.replacement_warranty = fresh
            locked.status = ClaimStatus.RESOLVED
            extra = {"replacement": fresh.code, "new_serial": unit.serial}
        else:
            request = open_refund_return(actor=actor, claim=locked, method=refund_method, bank_account=bank_account)
            locked.return_code = request.code
            locked.status = ClaimStatus.RESOLVED
            extra = {"return_code": request.code, "refund_method": request.resolution}
        if locked.status == ClaimStatus.RESOLVED:
            locked.resolved_at = clock.now()
        locked.save(
            update_fields=[
                "status", "replacement_warranty", "resolved_at", "service_center_code", "return_code", "updated_at"
            ]
        )  # fmt: skip
        record_event(
            name="warranty.claim_in_service" if locked.status == ClaimStatus.IN_SERVICE else "warranty.claim_resolved",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=_payload(locked, **extra),
        )
    return locked


def complete_service(*, actor: Any, claim: Claim, reference: str = "") -> Claim:
    """A repair claim's unit came back from service (the repairs app): the claim is resolved."""
    with transaction.atomic():
        locked = _lock(claim)
        if locked.status != ClaimStatus.IN_SERVICE:
            raise Conflict(
                _("Only a claim in service can be completed (claim %(code)s is %(status)s)")
                % {"code": locked.code, "status": ClaimStatus(locked.status).label},
                code="invalid_transition",
            )
        locked.status = ClaimStatus.RESOLVED
        locked.resolved_at = clock.now()
        locked.save(update_fields=["status", "resolved_at", "updated_at"])
        record_event(
            name="warranty.claim_resolved",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=_payload(locked, repair=reference),
        )
    return locked
