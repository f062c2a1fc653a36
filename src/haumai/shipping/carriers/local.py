"""Carriers without an API: our own staff pick up (own_fleet) or the customer drops off at a store.

Booking needs no outside call: the shipment code is the tracking code. Own-fleet staff update the
status in the console; a drop-off's label is the returns app's QR/short code (the reference), and
"received at store" is a console action. Neither receives webhooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from haumai.shipping.carriers.base import Booking, FeeQuery, TrackingUpdate, WebhookForbidden

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment


class OwnFleetAdapter:
    code = "own_fleet"

    def book(self, shipment: Shipment) -> Booking:
        return Booking(tracking_code=shipment.code, label_text=shipment.code)

    def cancel(self, shipment: Shipment) -> None:
        """Nothing to tell anyone outside: the pickup task disappears from the staff queue."""

    def quote(self, query: FeeQuery) -> int:
        """Our own staff or the customer move the parcel: no carrier fee."""
        return 0

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        raise WebhookForbidden("own fleet shipments are updated in the console, not by webhook")

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {}


class StoreDropoffAdapter(OwnFleetAdapter):
    code = "store_dropoff"

    def book(self, shipment: Shipment) -> Booking:
        return Booking(tracking_code=shipment.code, label_text=shipment.reference)
