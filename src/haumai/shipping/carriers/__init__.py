"""Carrier adapters behind one protocol: book, cancel, parse_webhook, acknowledgement."""

from __future__ import annotations

from haumai.shipping.carriers.base import (
    Booking,
    CarrierAdapter,
    CarrierError,
    FeeQuery,
    TrackingUpdate,
    WebhookForbidden,
    WebhookMalformed,
)
from haumai.shipping.carriers.ghn import GhnAdapter
from haumai.shipping.carriers.ghtk import GhtkAdapter
from haumai.shipping.carriers.jt import JtAdapter
from haumai.shipping.carriers.local import OwnFleetAdapter, StoreDropoffAdapter
from haumai.shipping.carriers.ninjavan import NinjaVanAdapter
from haumai.shipping.carriers.viettel_post import ViettelPostAdapter

ADAPTERS: dict[str, CarrierAdapter] = {
    adapter.code: adapter
    for adapter in (
        GhnAdapter(),
        GhtkAdapter(),
        ViettelPostAdapter(),
        JtAdapter(),
        NinjaVanAdapter(),
        OwnFleetAdapter(),
        StoreDropoffAdapter(),
    )
}
WEBHOOK_CARRIERS = ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")


def adapter_for(carrier_code: str) -> CarrierAdapter:
    """The adapter of a carrier code; KeyError for codes we have no adapter for."""
    return ADAPTERS[carrier_code]


__all__ = [
    "ADAPTERS",
    "WEBHOOK_CARRIERS",
    "Booking",
    "CarrierAdapter",
    "CarrierError",
    "FeeQuery",
    "TrackingUpdate",
    "WebhookForbidden",
    "WebhookMalformed",
    "adapter_for",
]
