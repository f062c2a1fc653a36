"""Writes about stock: every change is an immutable StockMove plus an F() update of its StockLevel."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from haumai.catalog import services as catalog_services
from haumai.catalog.models import Product, Unit, UnitStatus
from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.inventory import availability
from haumai.inventory.models import Grade, MoveReason, StockLevel, StockMove, TransferLine, TransferStatus, Warehouse

MAX_MOVE_QUANTITY = 1_000_000


def _refuse(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def move_stock(
    *,
    actor: Any,
    product: Product,
    warehouse: Warehouse,
    grade: str,
    quantity: int,
    reason: str,
    reference: str = "",
    unit: Unit | None = None,
    actor_label: str = "",
    repeat_restock: bool = False,
) -> StockMove:
    """Record one signed stock move and apply it to the level; refuses to leave stock below zero.

    A serialised unit is in at most one place: it enters only when it is nowhere, leaves only from where
    it is, a sold unit comes back only as a return restock, and its status follows the move. A return
    (the reference) restocks a unit once, and, unless the caller restocks the return's lines itself
    (`repeat_restock`, the return inspection), a SKU once.
    """
    errors: list[FieldError] = []
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        errors.append(FieldError("quantity", _("Quantity must be a whole number other than 0"), "invalid_quantity"))
    elif abs(quantity) > MAX_MOVE_QUANTITY:
        errors.append(FieldError("quantity", _("Quantity is too large"), "too_large"))
    if grade not in Grade.values:
        errors.append(
            FieldError(
                "grade",
                _("Unknown grade '%(grade)s' (one of: %(allowed)s)")
                % {"grade": grade, "allowed": ", ".join(Grade.values)},
                "invalid_choice",
            )
        )
    if reason not in MoveReason.values:
        errors.append(
            FieldError(
                "reason",
                _("Unknown reason '%(reason)s' (one of: %(allowed)s)")
                % {"reason": reason, "allowed": ", ".join(MoveReason.values)},
                "invalid_choice",
            )
        )
    if unit is not None and unit.product_id != product.pk:
        errors.append(
            FieldError(
                "serial",
                _("Serial %(serial)s is not a unit of %(sku)s") % {"serial": unit.serial, "sku": product.sku},
                "serial_product_mismatch",
            )
        )
    if unit is not None and isinstance(quantity, int) and abs(quantity) != 1:
        errors.append(
            FieldError("quantity", _("A move of one serialised unit has quantity 1 or -1"), "serial_quantity")
        )
    if len(reference) > 64:
        errors.append(FieldError("reference", _("Reference is longer than 64 characters"), "too_long"))
    if reason == MoveReason.RETURN_RESTOCK and not reference.strip():
        errors.append(FieldError("reference", _("A restock from a return names the return"), "required"))
    if reason == MoveReason.RETURN_RESTOCK and isinstance(quantity, int) and quantity < 0:
        errors.append(FieldError("quantity", _("A restock from a return adds stock"), "invalid_quantity"))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    with transaction.atomic():
        if unit is not None:
            unit = catalog_services.lock_unit(unit)
            _check_unit_move(unit, warehouse, grade, quantity, reason, reference)
        elif reason == MoveReason.RETURN_RESTOCK and not repeat_restock:
            _check_first_restock(product, reference)
        level, _created = StockLevel.objects.get_or_create(product=product, warehouse=warehouse, grade=grade)
        levels = StockLevel.objects.filter(pk=level.pk)
        if quantity < 0:
            # The guard and the change are one statement, so concurrent moves cannot overdraw.
            levels = levels.filter(quantity__gte=-quantity)
        try:
            with transaction.atomic():
                updated = levels.update(quantity=F("quantity") + quantity)
        except IntegrityError:  # the check constraint backstop
            updated = 0
        if not updated:
            on_hand = StockLevel.objects.values_list("quantity", flat=True).get(pk=level.pk)
            raise _refuse(
                "quantity",
                _(
                    "Not enough stock of %(sku)s (%(grade)s) in %(warehouse)s: "
                    "%(on_hand)s on hand, cannot take %(take)s"
                )
                % {
                    "sku": product.sku,
                    "grade": _grade_label(grade),
                    "warehouse": warehouse.name,
                    "on_hand": on_hand,
                    "take": -quantity,
                },
                "insufficient_stock",
            )
        move = StockMove.objects.create(
            product=product,
            warehouse=warehouse,
            grade=grade,
            quantity=quantity,
            reason=reason,
            reference=reference,
            unit=unit,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=clock.now(),
        )
        if unit is not None:
            catalog_services.set_unit_status(actor=actor, unit=unit, status=_status_after(unit, quantity, reason))
        record_event(
            name="stock.moved",
            subject=move,
            actor=actor,
            actor_label=actor_label,
            payload={
                "sku": product.sku,
                "warehouse": warehouse.code,
                "warehouse_name": warehouse.name,
                "grade": grade,
                "quantity": quantity,
                "reason": reason,
                "reference": reference,
                "serial": unit.serial if unit else None,
            },
        )
        # In the move's transaction: the channels' available-to-sell is never behind the ledger.
        availability.refresh_product(
            product=product, warehouse_id=warehouse.pk, grade=grade, actor=actor, actor_label=actor_label
        )
    return move


def _check_unit_move(unit: Unit, warehouse: Warehouse, grade: str, quantity: int, reason: str, reference: str) -> None:
    """Refuse a move that would put a serialised unit in two places, or take it from where it is not."""
    place_rows = (
        StockMove.objects.filter(unit=unit)
        .values("warehouse__code", "warehouse__name", "grade")
        .annotate(total=Sum("quantity"))
        .filter(total__gt=0)
        .order_by()[:1]
    )
    place = next(iter(place_rows), None)
    if quantity > 0 and place is not None:
        raise _refuse(
            "serial",
            _("Serial %(serial)s is already in stock in %(warehouse)s (%(grade)s)")
            % {"serial": unit.serial, "warehouse": place["warehouse__name"], "grade": _grade_label(place["grade"])},
            "serial_in_stock",
        )
    if quantity > 0:
        travelling = (
            TransferLine.objects.filter(unit=unit, transfer__status=TransferStatus.IN_TRANSIT)
            .values_list("transfer__code", flat=True)
            .first()
        )
        if travelling:
            raise _refuse(
                "serial",
                _("Serial %(serial)s is in transit on transfer %(code)s; it enters stock when the transfer is received")
                % {"serial": unit.serial, "code": travelling},
                "serial_in_transit",
            )
    if quantity > 0 and reason != MoveReason.RETURN_RESTOCK and unit.status in (UnitStatus.SOLD, UnitStatus.SCRAPPED):
        raise _refuse(
            "serial",
            _("Serial %(serial)s is %(status)s; it comes back into stock only through a return")
            % {"serial": unit.serial, "status": unit.get_status_display()},
            "serial_sold" if unit.status == UnitStatus.SOLD else "serial_scrapped",
        )
    if quantity > 0 and reason == MoveReason.RETURN_RESTOCK:
        restocked = StockMove.objects.filter(unit=unit, reason=MoveReason.RETURN_RESTOCK, reference=reference)
        if restocked.exists():
            raise _refuse(
                "reference",
                _("Serial %(serial)s was already restocked from %(reference)s")
                % {"serial": unit.serial, "reference": reference},
                "already_restocked",
            )
    if quantity < 0 and (place is None or (place["warehouse__code"], place["grade"]) != (warehouse.code, grade)):
        raise _refuse(
            "serial",
            _("Serial %(serial)s is not in stock in %(warehouse)s (%(grade)s)")
            % {"serial": unit.serial, "warehouse": warehouse.name, "grade": _grade_label(grade)},
            "serial_not_here",
        )


def _grade_label(grade: str) -> str:
    """The grade as staff read it ("B — open box"), in messages that name a place in stock."""
    return str(Grade(grade).label) if grade in Grade.values else grade


def _check_first_restock(product: Product, reference: str) -> None:
    if StockMove.objects.filter(product=product, reason=MoveReason.RETURN_RESTOCK, reference=reference).exists():
        raise _refuse(
            "reference",
            _("%(sku)s was already restocked from %(reference)s") % {"sku": product.sku, "reference": reference},
            "already_restocked",
        )


def _status_after(unit: Unit, quantity: int, reason: str) -> str:
    """Where the unit stands after the move: in stock when it enters, sold or scrapped when it leaves so."""
    if quantity > 0:
        return UnitStatus.IN_STOCK
    if reason == MoveReason.SALE:
        return UnitStatus.SOLD
    if reason == MoveReason.SCRAP:
        return UnitStatus.SCRAPPED
    return unit.status
