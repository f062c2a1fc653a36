"""Fee quotes from each enabled carrier's documented fee API, before anything is booked.

Both parties are checked as for a booking: carriers need the street, the ward/commune and the province
of the 2025 administrative units (ward and province names come from our copy of those units); an address
without them is refused with the field that is missing, and no carrier is asked. Carriers are asked in
parallel with the usual timeouts; one that errors, times out or says it does not serve the address is
returned as unavailable with the reason, never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haumai.core.errors import FieldError, ValidationFailed
from haumai.shipping.carriers import CarrierError, FeeQuery, adapter_for
from haumai.shipping.models import Carrier, CarrierKind
from haumai.shipping.services.creation import Parcel, Party, _parcel_snapshot, _party_snapshot


@dataclass(frozen=True)
class FeeQuote:
    """One carrier's answer: the fee in VND, or why it cannot take this parcel now."""

    carrier_code: str
    name: str
    fee: int | None
    reason: str = ""
    error_code: str = ""

    @property
    def available(self) -> bool:
        return self.fee is not None


def _ask(carrier: Carrier, query: FeeQuery) -> FeeQuote:
    try:
        fee = adapter_for(carrier.code).quote(query)
    except CarrierError as error:
        if error.code == "unserviceable":
            reason = _("Does not serve this address")
        elif error.retryable:
            reason = _("Did not answer; try again in a moment")
        else:
            reason = _("Gave no fee for this parcel")
        return FeeQuote(carrier.code, carrier.name, None, reason, error.code or "error")
    except KeyError:
        return FeeQuote(carrier.code, carrier.name, None, _("Cannot be asked for a fee"), "no_adapter")
    return FeeQuote(carrier.code, carrier.name, max(int(fee), 0))


def quote_fees(
    *,
    sender: Party,
    recipient: Party,
    parcel: Parcel,
    carrier_codes: Sequence[str] | None = None,
    cod_amount: int = 0,
    direction: str = "reverse",
) -> list[FeeQuote]:
    """Each enabled API carrier's fee (or why not), cheapest available first; ValidationFailed when an
    address lacks what carriers require or the parcel is beyond what they take."""
    errors: list[FieldError] = []
    sender_snapshot = _party_snapshot("sender", sender, errors, need_address=True, need_phone=False)
    recipient_snapshot = _party_snapshot("recipient", recipient, errors, need_address=True, need_phone=False)
    parcel_snapshot = _parcel_snapshot(parcel, errors, by_carrier=True)
    if errors:
        raise ValidationFailed(_("No carrier can quote a fee for this pickup."), errors)
    carriers = Carrier.objects.filter(kind=CarrierKind.API, is_active=True).order_by("name")
    if carrier_codes is not None:
        carriers = carriers.filter(code__in=list(carrier_codes))
    rows = list(carriers)
    if not rows:
        return []
    query = FeeQuery(
        sender=sender_snapshot,
        recipient=recipient_snapshot,
        parcel=parcel_snapshot,
        cod_amount=cod_amount,
        direction=direction,
    )
    with ThreadPoolExecutor(max_workers=len(rows), thread_name_prefix="fee-quote") as pool:
        quotes = list(pool.map(lambda carrier: _ask(carrier, query), rows))
    return sorted(quotes, key=lambda q: (not q.available, q.fee or 0, q.name))
