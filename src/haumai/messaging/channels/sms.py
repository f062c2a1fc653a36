"""SMS through a provider interface; the concrete provider is eSMS.vn (customer-care brandname, SmsType 2).

eSMS answers `CodeResult` "100" when it accepted the message. `RequestId` is our tracking id: eSMS
refuses a repeated RequestId with 124, so a resend after an interrupted send cannot deliver twice
(124 on a resend means the first call went through). 99 (number blocked), 108 (bad number) and
146 (wrong care template) will not get better by retrying; other codes are retried with backoff.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import httpx

from haumai.messaging import conf
from haumai.messaging.channels.base import Outcome, Sender
from haumai.messaging.models import Delivery

SUCCESS = "100"
DUPLICATE_REQUEST = "124"
PERMANENT_CODES = {"99", "108", "146"}


def local_phone(e164: str) -> str:
    """eSMS takes Vietnamese numbers as 0xxxxxxxxx: +84912345678 -> 0912345678."""
    return "0" + e164[3:] if e164.startswith("+84") else e164.lstrip("+")


class EsmsSender:
    """eSMS.vn SendMultipleMessage_V4_post_json, one request per message, one HTTP connection per batch."""

    def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
        api_key, secret_key = conf.esms_api_key(), conf.esms_secret_key()
        if not api_key or not secret_key:
            for delivery in deliveries:
                yield delivery, Outcome.retry(
                    "sms_not_configured", "HAUMAI_ESMS_API_KEY / HAUMAI_ESMS_SECRET_KEY are not set"
                )
            return
        with httpx.Client(timeout=conf.http_timeout_seconds()) as client:
            for delivery in deliveries:
                body = {
                    "ApiKey": api_key,
                    "SecretKey": secret_key,
                    "Phone": local_phone(delivery.destination),
                    "Content": delivery.body_text,
                    "Brandname": conf.esms_brandname(),
                    "SmsType": "2",
                    "IsUnicode": "0" if delivery.body_text.isascii() else "1",
                    "Sandbox": "1" if conf.esms_sandbox() else "0",
                    "RequestId": delivery.tracking_id,
                    "campaignid": delivery.template_key,
                }
                yield delivery, self._post(client, body, resend=delivery.attempt_count > 1)

    def _post(self, client: httpx.Client, body: dict[str, str], *, resend: bool) -> Outcome:
        try:
            response = client.post(conf.esms_url(), json=body)
        except httpx.TimeoutException as exc:
            return Outcome.retry("timeout", f"No answer from eSMS within {conf.http_timeout_seconds()} s: {exc}")
        except httpx.HTTPError as exc:
            return Outcome.retry("connection", f"{type(exc).__name__}: {exc}")
        if response.status_code >= 500:
            return Outcome.retry(f"http_{response.status_code}", response.text[:500], response.status_code)
        try:
            answer = response.json()
        except ValueError:
            status = response.status_code
            return Outcome.retry(f"http_{status}", f"Not JSON: {response.text[:300]}", status)
        code = str(answer.get("CodeResult", ""))
        message = str(answer.get("ErrorMessage") or answer.get("error") or "")
        if code == SUCCESS:
            return Outcome.ok(str(answer.get("SMSID") or ""), response.status_code)
        if code == DUPLICATE_REQUEST and resend:
            return Outcome.ok("", response.status_code)
        if code in PERMANENT_CODES:
            return Outcome.permanent(f"esms_{code}", message, response.status_code)
        return Outcome.retry(f"esms_{code or response.status_code}", message, response.status_code)


def sms_sender() -> Sender:
    """The configured SMS provider (HAUMAI_SMS_PROVIDER; only 'esms' exists)."""
    provider = conf.sms_provider()
    if provider != "esms":
        raise ValueError(f"Unknown SMS provider {provider!r} (only 'esms' is built)")
    return EsmsSender()
