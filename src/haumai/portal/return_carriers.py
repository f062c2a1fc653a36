"""The carrier choice of the portal return form: the enabled carriers with the fee each one quotes for the
chosen items and pickup address, and the check at submit that the chosen carrier serves that address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from haumai.core.errors import DomainError, FieldError
from haumai.returns import logistics


@dataclass(frozen=True)
class CarrierChoice:
    """One carrier as the form shows it: fee when quoted, or why it cannot be chosen now."""

    code: str
    name: str
    fee: int | None = None
    reason: str = ""
    quoted: bool = False

    @property
    def available(self) -> bool:
        return not self.quoted or self.fee is not None


def items_of(data: QueryDict, rows: list[dict[str, Any]]) -> list[tuple[Any, int]]:
    """The products and quantities chosen in the form; every returnable item while none is chosen yet."""
    chosen = []
    for row in rows:
        raw = data.get(f"quantity_{row['line'].pk}", "0").strip()
        if raw.isdigit() and 0 < int(raw) <= row["left"]:
            chosen.append((row["line"].product, int(raw)))
    return chosen or [(row["line"].product, row["left"]) for row in rows if row["left"]]


def unquoted() -> list[CarrierChoice]:
    """The enabled carriers without fees (the page before its fees load, and without JavaScript)."""
    return [CarrierChoice(code, name) for code, name in logistics.enabled_carriers()]


def quoted(customer: Any, pickup: Any, items: list[tuple[Any, int]]) -> tuple[list[CarrierChoice], str]:
    """Each enabled carrier with its fee (cheapest first), and a message when no fee can be asked."""
    if pickup is None or not items:
        return unquoted(), _("Choose the pickup address to see each carrier's fee.")
    try:
        quotes = logistics.quote_pickup(customer=customer, pickup=pickup, items=items)
    except DomainError as refused:
        details = " ".join(error.message for error in refused.errors)
        return unquoted(), f"{refused.message} {details}".strip()
    return [CarrierChoice(q.carrier_code, q.name, q.fee, q.reason, quoted=True) for q in quotes], ""


def refuse_unserved(customer: Any, pickup: Any, items: list[tuple[Any, int]], carrier_code: str) -> list[FieldError]:
    """Errors when the chosen carrier says it does not serve the address (a carrier that does not answer
    now is not refused: the booking is retried)."""
    if pickup is None or not carrier_code or not items:
        return []
    try:
        quotes = logistics.quote_pickup(customer=customer, pickup=pickup, items=items, carrier_codes=[carrier_code])
    except DomainError:
        return []  # the returns service reports the address fields themselves
    if quotes and quotes[0].error_code == "unserviceable":
        message = _("%(carrier)s does not serve this address: choose another carrier.") % {"carrier": quotes[0].name}
        return [FieldError("carrier", message, "unserviceable")]
    return []
