"""The portal return form: read what the customer chose, check what the portal can check, and put each
error of the returns service beside the field it is about, so a refused submit keeps every value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from haumai.core.errors import FieldError
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.returns.models import Condition
from haumai.returns.services import LineInput

# Service field (or its first dotted part) -> where the form shows it.
_PLACES = {
    "lines": "lines", "reason": "reason", "resolution": "resolution", "bank_account": "bank_account",
    "logistics": "logistics", "customer_note": "customer_note", "photos": "photos", "pickup": "pickup",
    "carrier": "carrier", "sender": "pickup", "pickup_phone": "pickup_phone", "exchange_sku": "exchange_sku",
}  # fmt: skip


@dataclass
class PlacedErrors:
    """Errors by form place (`reason`, `line_<order line id>`, `pickup` ...) and the ones with no place."""

    by_place: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_place or self.general)


def chosen_lines(data: QueryDict, rows: list[dict[str, Any]]) -> tuple[list[LineInput], list[int]]:
    """The lines the customer wants to return, and the order line id of each (to place line errors)."""
    items: list[LineInput] = []
    line_ids: list[int] = []
    for row in rows:
        line = row["line"]
        raw = data.get(f"quantity_{line.pk}", "0").strip()
        quantity = int(raw) if raw.isdigit() else -1
        if quantity:
            condition = data.get(f"condition_{line.pk}", Condition.OPENED_UNUSED)
            items.append(LineInput(order_line_id=line.pk, quantity=quantity, condition=condition))
            line_ids.append(line.pk)
    return items, line_ids


def pickup_phone(data: QueryDict, fallback: str) -> tuple[str, list[FieldError]]:
    """The phone for the driver in E.164 (another address only), or the error to show beside it."""
    raw = data.get("pickup_phone", "").strip()[:20]
    if not raw:
        return fallback, []
    try:
        return normalize_phone(raw), []
    except InvalidPhone:
        return "", [FieldError("pickup_phone", _("Enter a valid phone number, e.g. 0912 345 678."), "invalid_phone")]


def place(errors: Iterable[FieldError], line_ids: list[int]) -> PlacedErrors:
    """Put each service error where the customer will see it: beside its field, or at the top."""
    placed = PlacedErrors()
    for error in errors:
        head, _dot, rest = error.field.partition(".")
        where = _PLACES.get(head)
        if head == "lines" and rest:
            index = rest.split(".", 1)[0]
            where = f"line_{line_ids[int(index)]}" if index.isdigit() and int(index) < len(line_ids) else "lines"
        if where is None:
            placed.general.append(error.message)
        else:
            placed.by_place.setdefault(where, []).append(error.message)
    return placed


def rows_as_typed(rows: list[dict[str, Any]], data: QueryDict, placed: PlacedErrors) -> list[dict[str, Any]]:
    """The order lines with the quantity and condition chosen before, and their errors."""
    shown = []
    for row in rows:
        pk = row["line"].pk
        quantity = data.get(f"quantity_{pk}", "0")
        shown.append({
            **row,
            "choices": [str(n) for n in range(1, row["left"] + 1)],
            "quantity": quantity,
            "condition": data.get(f"condition_{pk}", Condition.OPENED_UNUSED),
            "errors": placed.by_place.get(f"line_{pk}", []),
        })  # fmt: skip
    return shown
