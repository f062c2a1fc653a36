"""Parts taken from the service centre's warehouse through inventory moves (never StockLevel directly).
Out of stock pauses the order in waiting_parts; a fitted part gets its own fresh warranty."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.services import record_event
from haumai.inventory import services as inventory_services
from haumai.inventory.models import Grade, MoveReason
from haumai.repairs.models import PartUsage, RepairOrder, RepairStatus
from haumai.repairs.services.common import lock, payload_for, refuse, require_state, require_technician
from haumai.repairs.services.orders import pause
from haumai.warranty import policy as warranty_policy

# A spare part with no warranty term of its own still gets one (the replaced component's fresh warranty).
DEFAULT_PART_WARRANTY_MONTHS = 3


class PartsOutOfStock(Conflict):
    """Not enough of the part at the centre's warehouse: the order now waits for parts."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="out_of_stock")


def _cost(order: RepairOrder, part: Product, unit_cost: int | None) -> int:
    if unit_cost is not None:
        if isinstance(unit_cost, bool) or not isinstance(unit_cost, int) or unit_cost < 0:
            raise refuse("unit_cost", _("Enter the part's cost in VND"), "invalid_amount")
        return unit_cost
    quoted = order.lines.filter(part=part, version=order.quote_version).values_list("unit_cost", flat=True).first()
    return int(quoted if quoted is not None else part.price)


def use_part(
    *, actor: Any, order: RepairOrder, part: Product | None, quantity: int = 1, unit_cost: int | None = None
) -> PartUsage:
    """Take `quantity` of a part from the centre's warehouse for this repair and record its cost (also under
    warranty). Not enough stock: the order pauses in waiting_parts and PartsOutOfStock is raised (stock
    unchanged)."""
    if part is None:
        raise refuse("sku", _("Unknown part"), "unknown_sku")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100:
        raise refuse("quantity", _("Quantity from 1 to 100"), "invalid_quantity")
    short = ""
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("use a part"), RepairStatus.REPAIRING)
        require_technician(actor, locked)
        warehouse = locked.service_center.warehouse
        if warehouse is None:
            raise refuse("warehouse", _("%(name)s has no parts warehouse") % {"name": locked.service_center.name})
        cost = _cost(locked, part, unit_cost)
        try:
            move = inventory_services.move_stock(
                actor=actor,
                product=part,
                warehouse=warehouse,
                grade=Grade.NEW,
                quantity=-quantity,
                reason=MoveReason.REPAIR_PART,
                reference=locked.code,
            )
        except ValidationFailed as exc:
            if not any(error.code == "insufficient_stock" for error in exc.errors):
                raise
            short = exc.errors[0].message
            pause(locked, actor=actor, note=short, part=part.sku)
        if not short:
            today = clock.today()
            months = part.warranty_months or DEFAULT_PART_WARRANTY_MONTHS
            usage = PartUsage.objects.create(
                order=locked,
                part=part,
                warehouse=warehouse,
                quantity=quantity,
                unit_cost=cost,
                stock_move_id=move.pk,
                warranty_starts_on=today,
                warranty_ends_on=warranty_policy.covered_until(today, months, "months"),
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                used_at=clock.now(),
            )
            record_event(
                name="repair.part_used",
                customer=locked.customer,
                subject=locked,
                actor=actor,
                payload=payload_for(
                    locked,
                    sku=part.sku,
                    part=part.name,
                    quantity=quantity,
                    cost=cost * quantity,
                    part_warranty_until=usage.warranty_ends_on.isoformat(),
                ),
            )
    if short:
        raise PartsOutOfStock(
            _("%(message)s. Repair %(code)s now waits for parts.") % {"message": short, "code": locked.code}
        )
    return usage


def parts_cost(order: RepairOrder) -> int:
    """What the fitted parts cost us."""
    return sum(usage.unit_cost * usage.quantity for usage in order.parts.all())
