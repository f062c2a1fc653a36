"""Outbound webhooks: POST the event JSON signed with the subscription's secret.

`X-Haumai-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, `X-Haumai-Timestamp`
(Unix seconds, so receivers can refuse old replays) and `X-Haumai-Delivery` (stable across retries,
so receivers can drop duplicates).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from haumai.messaging import conf
from haumai.messaging.channels.base import Outcome
from haumai.messaging.models import Delivery, WebhookSubscription

RETRYABLE_STATUSES = {408, 425, 429}


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Haumai-Signature header value."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookSender:
    """POSTs each delivery to its subscription's URL."""

    def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
        subscriptions: dict[int, WebhookSubscription | None] = {}
        with httpx.Client(timeout=conf.http_timeout_seconds(), follow_redirects=False) as client:
            for delivery in deliveries:  # taken one at a time (see Sender): subscriptions read as they come
                key = delivery.subscription_id or 0
                if key not in subscriptions:
                    subscriptions[key] = WebhookSubscription.objects.filter(pk=key).first() if key else None
                subscription = subscriptions[key]
                if subscription is None or not subscription.is_active:
                    yield delivery, Outcome.permanent("subscription_inactive", "The subscription was removed or paused")
                    continue
                yield delivery, self._post(client, delivery, subscription)

    def _post(self, client: httpx.Client, delivery: Delivery, subscription: WebhookSubscription) -> Outcome:
        body = body_bytes(delivery.payload or {})
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Haumai-Webhooks/1",
            "X-Haumai-Event": str((delivery.payload or {}).get("event", "")),
            "X-Haumai-Delivery": delivery.tracking_id,
            "X-Haumai-Timestamp": timestamp,
            "X-Haumai-Signature": signature(subscription.secret, timestamp, body),
        }
        try:
            response = client.post(subscription.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return Outcome.retry("timeout", f"No answer within {conf.http_timeout_seconds()} s: {exc}")
        except httpx.HTTPError as exc:
            return Outcome.retry("connection", f"{type(exc).__name__}: {exc}")
        status = response.status_code
        if 200 <= status < 300:
            return Outcome.ok(response.headers.get("X-Request-Id", ""), status)
        text = response.text[:500]
        if status >= 500 or status in RETRYABLE_STATUSES:
            return Outcome.retry(f"http_{status}", text, status)
        return Outcome.permanent(f"http_{status}", text, status)
