"""Local carriers for tests, benchmarks and the offline demo: GHN, GHTK, Viettel Post, J&T, Ninja Van.

with local_carriers() as carriers:
    for name, value in carriers.settings().items():   # point Haumai at the local server
        setattr(settings, name, value)
    carriers.base_url("ghn")                           # http://127.0.0.1:<port>/ghn
    carriers.fail_next("ghn", "timeout")               # or "5xx", "error" (documented error payload)
    ...                                                # book: run the scheduler tick
    carriers.requests                                  # every request received
    carriers.push_ghn_status(order_code, "picked", "http://127.0.0.1:8000/hooks/shipping/")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from haumai.testing.carriers.server import CarrierServer, RecordedRequest, local_fee
from haumai.testing.carriers.webhooks import WebhookRequest, build_webhook, post_webhook

CARRIERS = ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")
CREDENTIALS = {
    "ghn": {"token": "ghn-local-token", "shop_id": "885"},
    "ghtk": {"token": "ghtk-local-token", "client_source": "S22222"},
    "viettel_post": {"token": "vtp-local-owner-token"},
    "jt": {
        "api_account": "292508153084379141",
        "private_key": "a0a1047cce70493c9d5d29704f05d0d9",
        "customer_code": "J0086474299",
    },
    "ninjavan": {"client_id": "haumai-local", "client_secret": "ninjavan-local-secret"},
}
# What authenticates each carrier's webhooks: GHN path token, GHTK ?hash=, Viettel Post TOKEN,
# J&T private key (digest), Ninja Van client secret (HMAC).
WEBHOOK_SECRETS = {
    "ghn": "ghn-hook-7c1f0e",
    "ghtk": "ghtk-hook-55aa01",
    "viettel_post": "vtp-hook-93be12",
    "jt": CREDENTIALS["jt"]["private_key"],
    "ninjavan": CREDENTIALS["ninjavan"]["client_secret"],
}


def carrier_settings(base_urls: dict[str, str] | None = None) -> dict[str, str]:
    """HAUMAI_* settings with the local credentials and webhook secrets (and base URLs when given)."""
    values: dict[str, str] = {}
    for carrier in CARRIERS:
        key = carrier.upper()
        if base_urls and carrier in base_urls:
            values[f"HAUMAI_{key}_BASE_URL"] = base_urls[carrier]
        for name, value in CREDENTIALS[carrier].items():
            values[f"HAUMAI_{key}_{name.upper()}"] = value
    for carrier in ("ghn", "ghtk", "viettel_post"):
        values[f"HAUMAI_{carrier.upper()}_WEBHOOK_SECRET"] = WEBHOOK_SECRETS[carrier]
    return values


class LocalCarriers:
    """A running local carrier server plus the credentials and webhook secrets Haumai must use with it."""

    def __init__(self, *, timeout_seconds: float = 2.0) -> None:
        self.credentials = {carrier: dict(values) for carrier, values in CREDENTIALS.items()}
        self.webhook_secrets = dict(WEBHOOK_SECRETS)
        self.server = CarrierServer(self.credentials, timeout_seconds=timeout_seconds)
        self.server.webhook_secrets = self.webhook_secrets

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.server.requests

    def requests_to(self, carrier: str) -> list[RecordedRequest]:
        return [r for r in self.server.requests if r.carrier == carrier]

    def base_url(self, carrier: str) -> str:
        return f"http://127.0.0.1:{self.server.port}/{carrier}"

    def settings(self) -> dict[str, Any]:
        """HAUMAI_* settings that point Haumai at this server with its credentials and webhook secrets."""
        return dict(carrier_settings({carrier: self.base_url(carrier) for carrier in CARRIERS}))

    def environment(self) -> dict[str, str]:
        """The same as environment variables (for a `haumai web` / worker subprocess)."""
        return {name: str(value) for name, value in self.settings().items()}

    def reset(self) -> None:
        """Forget orders, queued faults and recorded requests (between tests sharing one server)."""
        self.server.requests.clear()
        for state in self.server.state.values():
            state.orders.clear()
            state.by_client_code.clear()
            state.faults.clear()
            state.unserved_wards.clear()

    def refuse_ward(self, carrier: str, ward_name: str) -> None:
        """Make `carrier` say it does not serve a ward (by its 2025 name) when asked for a fee."""
        self.server.state[carrier].unserved_wards.add(ward_name)

    def fail_next(self, carrier: str, fault: str, times: int = 1) -> None:
        """Make the next `times` calls to `carrier` fail: 'timeout', '5xx' or 'error'."""
        if fault not in ("timeout", "5xx", "error"):
            raise ValueError("fault must be 'timeout', '5xx' or 'error'")
        self.server.state[carrier].faults.extend([fault] * times)

    def order(self, carrier: str, code: str) -> dict[str, Any]:
        """What the carrier stored for one of its order codes (request body and status)."""
        return self.server.state[carrier].orders[code]

    def webhook(
        self,
        carrier: str,
        tracking_code: str,
        raw_code: str,
        *,
        at: dt.datetime | None = None,
        shipment_code: str = "",
        reason: str = "",
    ) -> WebhookRequest:
        """A documented, correctly authenticated webhook (post it with Django's test client or `push`)."""
        return build_webhook(
            carrier,
            tracking_code,
            raw_code,
            secrets=self.webhook_secrets,
            at=at,
            shipment_code=shipment_code,
            reason=reason,
        )

    def push(self, carrier: str, tracking_code: str, raw_code: str, hooks_prefix: str, **kwargs: Any) -> httpx.Response:
        """POST a webhook to a live Haumai, e.g. hooks_prefix='http://127.0.0.1:8000/hooks/shipping/'."""
        return post_webhook(self.webhook(carrier, tracking_code, raw_code, **kwargs), hooks_prefix)

    def push_ghn_status(self, order_code: str, status: str, hooks_prefix: str, **kwargs: Any) -> httpx.Response:
        """POST a GHN status webhook (status e.g. 'picked', 'delivered') to a live Haumai."""
        return self.push("ghn", order_code, status, hooks_prefix, **kwargs)


@contextmanager
def local_carriers(*, timeout_seconds: float = 2.0) -> Iterator[LocalCarriers]:
    """Run the local carrier server for the duration of a block."""
    carriers = LocalCarriers(timeout_seconds=timeout_seconds)
    carriers.server.start()
    try:
        yield carriers
    finally:
        carriers.server.stop()


__all__ = [
    "CARRIERS",
    "LocalCarriers",
    "RecordedRequest",
    "WebhookRequest",
    "build_webhook",
    "local_carriers",
    "local_fee",
    "post_webhook",
]
