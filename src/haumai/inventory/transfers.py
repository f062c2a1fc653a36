"""Transfers between warehouses: requested, shipped (stock leaves the source, in transit), received.

Shipping writes one `transfer_out` move per line from the source and receiving one `transfer_in` move
into the destination, both with the transfer code as reference, so the ledger shows both sides. While a
transfer is in transit its serialised units are in no warehouse and enter only the destination, through
this transfer. The transfer row is locked for every step, so parallel ships or receives act once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.inventory.models import Grade, MoveReason, StockLevel, Transfer, TransferLine, TransferStatus, Warehouse
from haumai.inventory.services import MAX_MOVE_QUANTITY, move_stock

MAX_LINES = 200


@dataclass(frozen=True)
class TransferLineInput:
    product: Product
    quantity: int
    grade: str = Grade.NEW
    unit: Unit | None = None


def _invalid(errors: list[FieldError]) -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), errors)


def _check_lines(source: Warehouse, lines: list[TransferLineInput]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not lines:
        return [FieldError("lines", _("Add at least one item to transfer"), "required")]
    if len(lines) > MAX_LINES:
        return [FieldError("lines", _("A transfer has at most %(max)s lines") % {"max": MAX_LINES}, "too_many")]
    seen_units: set[int] = set()
    wanted: dict[tuple[int, str], int] = {}
    for index, line in enumerate(lines):
        where = f"lines.{index}"
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_MOVE_QUANTITY:
            errors.append(
                FieldError(f"{where}.quantity", _("Quantity must be a whole number from 1"), "invalid_quantity")
            )
            continue
        if line.grade not in Grade.values:
            errors.append(
                FieldError(f"{where}.grade", _("Unknown grade '%(grade)s'") % {"grade": line.grade}, "invalid_choice")
            )
            continue
        if line.unit is not None:
            if line.unit.product_id != line.product.pk or quantity != 1:
                errors.append(
                    FieldError(
                        f"{where}.serial",
                        _("A serialised unit is one line of quantity 1 of its own SKU"),
                        "serial_line",
                    )
                )
            elif line.unit.pk in seen_units:
                errors.append(
                    FieldError(
                        f"{where}.serial",
                        _("Serial %(serial)s is listed twice") % {"serial": line.unit.serial},
                        "duplicate",
                    )
                )
            seen_units.add(line.unit.pk)
        elif line.product.is_serialized:
            errors.append(
                FieldError(
                    f"{where}.serial",
                    _("%(sku)s is tracked by serial: name the unit") % {"sku": line.product.sku},
                    "required",
                )
            )
        key = (line.product.pk, line.grade)
        wanted[key] = wanted.get(key, 0) + quantity
    if errors:
        return errors
    on_hand = {
        (row["product_id"], row["grade"]): row["quantity"]
        for row in StockLevel.objects.filter(warehouse=source, product_id__in={k[0] for k in wanted}).values(
            "product_id", "grade", "quantity"
        )
    }
    skus = {line.product.pk: line.product.sku for line in lines}
    for (product_id, grade), quantity in wanted.items():
        have = on_hand.get((product_id, grade), 0)
        if quantity > have:
            errors.append(
                FieldError(
                    "lines",
                    _("Not enough stock of %(sku)s (%(grade)s) in %(warehouse)s: %(on_hand)s on hand, %(take)s asked")
                    % {
                        "sku": skus[product_id],
                        "grade": Grade(grade).label,
                        "warehouse": source.name,
                        "on_hand": have,
                        "take": quantity,
                    },
                    "insufficient_stock",
                )
            )
    return errors


def _payload(transfer: Transfer, **extra: Any) -> dict[str, Any]:
    return {
        "transfer_code": transfer.code,
        "source": transfer.source.code,
        "source_name": transfer.source.name,
        "destination": transfer.destination.code,
        "destination_name": transfer.destination.name,
        "status": transfer.status,
        **extra,
    }


def request_transfer(
    *,
    actor: Any,
    source: Warehouse,
    destination: Warehouse,
    lines: list[TransferLineInput],
    note: str = "",
    idempotency_key: str = "",
) -> tuple[Transfer, bool]:
    """Ask for stock to go from one warehouse to another (checked against the source now); (transfer, created)."""
    key = idempotency_key.strip()[:80] or None
    if key:
        existing = Transfer.objects.filter(idempotency_key=key).select_related("source", "destination").first()
        if existing is not None:
            return existing, False
    errors: list[FieldError] = []
    if source.pk == destination.pk:
        errors.append(
            FieldError("destination", _("Choose a destination other than the source warehouse"), "same_warehouse")
        )
    if len(note) > 500:
        errors.append(FieldError("note", _("Note is longer than 500 characters"), "too_long"))
    errors = errors or _check_lines(source, lines)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                code=next_code("TR"),
                source=source,
                destination=destination,
                note=note.strip(),
                idempotency_key=key,
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                requested_at=clock.now(),
            )
            TransferLine.objects.bulk_create(
                [
                    TransferLine(
                        transfer=transfer,
                        product=line.product,
                        grade=line.grade,
                        quantity=line.quantity,
                        unit=line.unit,
                    )
                    for line in lines
                ]
            )
            record_event(
                name="transfer.requested", subject=transfer, actor=actor, payload=_payload(transfer, lines=len(lines))
            )
    except IntegrityError:
        existing = Transfer.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return transfer, True


def _lock(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update().select_related("source", "destination").get(pk=transfer.pk)


def _wrong_state(transfer: Transfer, action: str) -> Conflict:
    return Conflict(
        _("Transfer %(code)s is %(status)s: it cannot be %(action)s")
        % {"code": transfer.code, "status": transfer.get_status_display(), "action": action},
        "invalid_transition",
    )


@dataclass(frozen=True)
class _Step:
    """One step of a transfer: the state it starts from and leads to, its time stamp, event and stock side."""

    before: str
    after: str
    stamp: str
    verb: Any  # how the refusal names the step ("shipped")
    stock: str = ""  # "out" of the source, "in" to the destination, or "" (nothing moves)


def _move(*, actor: Any, transfer: Transfer, step: _Step) -> Transfer:
    """Lock the transfer and take one step; repeating a step already taken changes nothing."""
    with transaction.atomic():
        locked = _lock(transfer)
        if locked.status == step.after:
            return locked
        if locked.status != step.before:
            raise _wrong_state(locked, str(step.verb))
        if step.stock != "out":
            # Received first, so the destination's moves of its serialised units are allowed (see in_transit_transfer).
            _stamp(locked, step)
        if step.stock:
            into = step.stock == "in"
            for line in locked.lines.select_related("product", "unit").order_by("pk"):
                move_stock(
                    actor=actor,
                    product=line.product,
                    warehouse=locked.destination if into else locked.source,
                    grade=line.grade,
                    quantity=line.quantity if into else -line.quantity,
                    reason=MoveReason.TRANSFER_IN if into else MoveReason.TRANSFER_OUT,
                    reference=locked.code,
                    unit=line.unit,
                )
        if step.stock == "out":
            _stamp(locked, step)
        record_event(name=STEP_EVENTS[step.stamp], subject=locked, actor=actor, payload=_payload(locked))
    return locked


def _stamp(transfer: Transfer, step: _Step) -> None:
    transfer.status = step.after
    setattr(transfer, step.stamp, clock.now())
    transfer.save(update_fields=["status", step.stamp])


SHIP = _Step(TransferStatus.REQUESTED, TransferStatus.IN_TRANSIT, "shipped_at", _lazy("shipped"), "out")
RECEIVE = _Step(TransferStatus.IN_TRANSIT, TransferStatus.RECEIVED, "received_at", _lazy("received"), "in")
CANCEL = _Step(TransferStatus.REQUESTED, TransferStatus.CANCELLED, "cancelled_at", _lazy("cancelled"))
# The event of each step, by the time stamp it sets (a table, so the console's sentence check can read it).
STEP_EVENTS = {
    "shipped_at": "transfer.shipped",
    "received_at": "transfer.received",
    "cancelled_at": "transfer.cancelled",
}


def ship_transfer(*, actor: Any, transfer: Transfer) -> Transfer:
    """Take the lines out of the source warehouse; the transfer is in transit. Shipping twice changes nothing."""
    return _move(actor=actor, transfer=transfer, step=SHIP)


def receive_transfer(*, actor: Any, transfer: Transfer) -> Transfer:
    """Put the lines into the destination warehouse. Receiving twice changes nothing."""
    return _move(actor=actor, transfer=transfer, step=RECEIVE)


def cancel_transfer(*, actor: Any, transfer: Transfer) -> Transfer:
    """Cancel a transfer that has not left the source; nothing moves."""
    return _move(actor=actor, transfer=transfer, step=CANCEL)
