"""What every carrier adapter provides, and the values they exchange with the services."""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl

from haumai.core.clock import LOCAL_TZ

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment


@dataclass(frozen=True)
class Booking:
    """The carrier accepted the order: its code, what to print on the parcel, and the fee it quoted."""

    tracking_code: str
    label_url: str = ""
    label_text: str = ""
    fee: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrackingUpdate:
    """One status report parsed from a carrier webhook; `mapped_status` is None for codes we do not map."""

    carrier_code: str
    tracking_code: str
    raw_code: str
    occurred_at: dt.datetime
    dedupe_key: str
    mapped_status: str | None
    description: str = ""
    shipment_code: str = ""  # our code, when the carrier echoes it (client order code)
    raw_payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FeeQuery:
    """What a carrier's fee API needs: both parties and the parcel as a shipment stores them."""

    sender: dict[str, Any]
    recipient: dict[str, Any]
    parcel: dict[str, Any]
    cod_amount: int = 0
    direction: str = "reverse"


class CarrierError(Exception):
    """A carrier call failed; `retryable` for timeouts, network errors and 5xx answers."""

    def __init__(self, message: str, *, retryable: bool, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" if self.code else self.message


class WebhookForbidden(Exception):
    """The webhook did not authenticate (wrong or missing secret/signature)."""


class WebhookMalformed(Exception):
    """The webhook body is not what the carrier documents."""


class CarrierAdapter(Protocol):
    code: str

    def book(self, shipment: Shipment) -> Booking: ...

    def cancel(self, shipment: Shipment) -> None: ...

    def quote(self, query: FeeQuery) -> int: ...

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]: ...

    def acknowledgement(self) -> tuple[int, dict[str, Any]]: ...


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset expected secret never matches."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def json_body(body: bytes) -> Any:
    """Decode a JSON webhook body or raise WebhookMalformed."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookMalformed(f"body is not valid JSON: {exc}") from exc


def json_or_form_body(body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """Decode a JSON or form-urlencoded webhook body into a dict."""
    content_type = headers.get("Content-Type", headers.get("content-type", ""))
    if "json" in content_type or body.lstrip().startswith(b"{"):
        data = json_body(body)
    else:
        try:
            data = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body)))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WebhookMalformed(f"body is neither JSON nor a form: {exc}") from exc
    if not isinstance(data, dict):
        raise WebhookMalformed("body must be an object")
    return data


def require_text(data: Mapping[str, Any], name: str) -> str:
    """A required, non-empty field of a webhook payload."""
    value = data.get(name)
    if value is None or str(value).strip() == "":
        raise WebhookMalformed(f"field '{name}' is missing")
    return str(value).strip()


def parse_time(text: str, *, local_formats: tuple[str, ...] = ()) -> dt.datetime:
    """ISO 8601 (with offset or Z) or a carrier's local-time format (Vietnam time) -> aware UTC."""
    text = text.strip()
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in local_formats:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        raise WebhookMalformed(f"time '{text[:40]}' is not in a known format")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(dt.UTC)


def moment_key(moment: dt.datetime) -> str:
    """The part of a dedupe key that says when: the parsed moment in UTC, however the carrier spelt it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
