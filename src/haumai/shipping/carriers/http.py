"""Calls to carrier APIs with the configured timeouts; failures become CarrierError."""

from __future__ import annotations

from typing import Any

import httpx

from haumai.shipping import conf
from haumai.shipping.carriers.base import CarrierError


def call(method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
    """Send one request; return (status, decoded JSON). Timeouts, network errors and 5xx are retryable."""
    timeout = httpx.Timeout(conf.read_timeout(), connect=conf.connect_timeout())
    try:
        response = httpx.request(method, url, timeout=timeout, **kwargs)
    except httpx.TimeoutException as exc:
        raise CarrierError(
            f"no answer within the timeout ({type(exc).__name__})", retryable=True, code="timeout"
        ) from exc
    except httpx.TransportError as exc:
        raise CarrierError(f"network error: {exc}", retryable=True, code="network") from exc
    if response.status_code >= 500:
        raise CarrierError(
            f"carrier answered HTTP {response.status_code}: {response.text[:300]}",
            retryable=True,
            code=f"http_{response.status_code}",
        )
    try:
        body = response.json()
    except ValueError as exc:
        raise CarrierError(
            f"carrier answered HTTP {response.status_code} without JSON: {response.text[:300]}",
            retryable=False,
            code=f"http_{response.status_code}",
        ) from exc
    return response.status_code, body


def party_address(party: dict[str, Any]) -> str:
    """Street, ward and province on one line (what carriers print)."""
    parts = [party.get("street", ""), party.get("ward_name", ""), party.get("province_name", "")]
    return ", ".join(p for p in parts if p)


def local_phone(e164: str) -> str:
    """+84912345678 -> 0912345678 (the form Vietnamese carriers expect)."""
    return "0" + e164[3:] if e164.startswith("+84") else e164
