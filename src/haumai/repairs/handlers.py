"""Reactions to other apps' events (run by the events dispatcher after commit, in the worker): a repair
claim in service opens its repair order; a defective return resolved by repair becomes one."""

from __future__ import annotations

import logging
from typing import Any

from haumai.core.errors import DomainError, NotFound
from haumai.repairs import selectors
from haumai.repairs.models import RepairOrigin, ServiceCenter, ServiceCenterKind
from haumai.repairs.services import open_for_claim, receive_unit
from haumai.returns import selectors as returns_selectors
from haumai.returns.models import Reason
from haumai.warranty.models import Claim, ClaimResolution, ClaimStatus

logger = logging.getLogger(__name__)


def default_center(warehouse_id: int | None = None) -> ServiceCenter | None:
    """The own centre that keeps its parts in this warehouse, else the first active own centre."""
    centers = selectors.service_centers(kind=ServiceCenterKind.OWN)
    return (centers.filter(warehouse_id=warehouse_id).first() if warehouse_id else None) or centers.first()


def on_claim_in_service(event: Any) -> None:
    """A claim resolved by repair: its order is opened, waiting for the unit's intake (idempotent)."""
    if event.subject_type != "warranty.claim":
        return
    claim = Claim.objects.select_related("warranty__unit", "customer").filter(pk=event.subject_id).first()
    if claim is None or claim.status != ClaimStatus.IN_SERVICE or claim.resolution != ClaimResolution.REPAIR:
        return
    # The centre chosen on the claim; a brand centre is reached through our counter: the order opens at
    # the default own centre and the technician sends the unit on (`outsource`, preselected from the claim).
    code = claim.service_center_code
    chosen = selectors.service_centers().filter(code=code).first() if code else None
    center = chosen if chosen is not None and chosen.kind == ServiceCenterKind.OWN else default_center()
    if center is None:
        logger.warning("no service centre to open the repair of claim %s", claim.code)
        return
    open_for_claim(actor=None, claim=claim, service_center=center)


def on_return_repaired(event: Any) -> None:
    """A defective return resolved by repair: each received unit becomes a repair order at the centre of
    the return's warehouse (idempotent: a unit already in repair is skipped)."""
    code = (event.payload or {}).get("return_code")
    if not code:
        return
    try:
        request = returns_selectors.return_by_code(str(code))
    except NotFound:
        return
    center = default_center(request.warehouse_id)
    if center is None:
        logger.warning("no service centre for return %s", request.code)
        return
    description = request.customer_note.strip() or str(Reason(request.reason).label)
    for line in request.lines.all():
        if line.unit_id is None or not line.received_quantity:
            continue
        if selectors.open_repair_of_unit(line.unit_id) is not None:
            continue
        try:
            receive_unit(
                actor=None,
                unit=line.unit,
                customer=request.customer,
                service_center=center,
                description=description,
                condition="",
                accessories=[],
                source_return=request,
                origin=RepairOrigin.RETURN,
                actor_label="system",
            )
        except DomainError as exc:
            logger.warning("return %s: no repair for unit %s: %s", request.code, line.unit_id, exc.message)
