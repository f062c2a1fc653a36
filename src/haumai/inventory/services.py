"""Writes about stock: every change is an immutable StockMove plus an F() update of its StockLevel."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.inventory.models import Grade, MoveReason, StockLevel, StockMove, Warehouse

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
) -> StockMove:
    """Record one signed stock move and apply it to the level; refuses to leave stock below zero."""
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
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    with transaction.atomic():
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
                    "Not enough stock of %(sku)s (grade %(grade)s) in %(warehouse)s: "
                    "%(on_hand)s on hand, cannot take %(take)s"
                )
                % {
                    "sku": product.sku,
                    "grade": grade,
                    "warehouse": warehouse.code,
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
        record_event(
            name="stock.moved",
            subject=move,
            actor=actor,
            actor_label=actor_label,
            payload={
                "sku": product.sku,
                "warehouse": warehouse.code,
                "grade": grade,
                "quantity": quantity,
                "reason": reason,
                "reference": reference,
                "serial": unit.serial if unit else None,
            },
        )
    return move
