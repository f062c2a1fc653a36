"""What a provider call tells us, in one shape for every provider."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from haumai.payments import conf

# Outcomes of a call (same values as AttemptOutcome).
SUCCEEDED = "succeeded"  # the provider says the refund went through
PROCESSING = "processing"  # accepted; money moves (or will) without another request from us
FAILED = "failed"  # the provider refused; no money moved, a new request is safe
NOT_FOUND = "not_found"  # a query found no refund: no money moved, a new request is safe
UNKNOWN = "unknown"  # timeout, 5xx, forged or unreadable answer: ask again before doing anything


@dataclass
class CallResult:
    """Outcome of one refund or query call, with everything needed to audit it."""

    outcome: str
    code: str = ""
    message: str = ""
    provider_refund_ref: str = ""
    http_status: int | None = None
    signature_valid: bool | None = None
    request_body: dict[str, Any] = field(default_factory=dict)
    response_body: dict[str, Any] | None = None


_client: httpx.Client | None = None


def _http() -> httpx.Client:
    # One client per process: keeps connections alive and builds its TLS context once.
    global _client
    if _client is None:
        _client = httpx.Client(headers={"User-Agent": "Haumai payments"})
    return _client


def post_json(url: str, body: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None, str]:
    """POST JSON; return (http status, parsed body, error text). Never raises for network problems."""
    try:
        response = _http().post(url, json=body, timeout=conf.http_timeout_seconds())
    except httpx.TimeoutException as exc:
        return None, None, f"timeout: {exc.__class__.__name__}"
    except httpx.HTTPError as exc:
        return None, None, f"network error: {exc.__class__.__name__}: {exc}"
    try:
        parsed = response.json()
    except (json.JSONDecodeError, ValueError):
        return response.status_code, {"raw": response.text[:2000]}, f"HTTP {response.status_code}: not JSON"
    if not isinstance(parsed, dict):
        return response.status_code, {"raw": parsed}, f"HTTP {response.status_code}: not a JSON object"
    if response.status_code >= 300:
        return response.status_code, parsed, f"HTTP {response.status_code}"
    return response.status_code, parsed, ""
