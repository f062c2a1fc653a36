"""Zalo OA channel: the OA webhook (inbound) and customer-service messages (outbound).

Inbound: Zalo POSTs one JSON event per request with the header
`X-ZEvent-Signature: mac=<hex>` where hex = sha256(app_id + raw body + timestamp + OA secret key);
`app_id` and `timestamp` are the event's own fields, the OA secret key is the OA's, read from
`HAUMAI_ZALO_OA_SECRET_KEY` (settings or environment). The receiving OA (recipient.id, or `oa_id` on
follow/unfollow) must be an active `messaging.ZaloCredential`; others are refused. The event's
`msg_id` is the dedup key, so a retried or replayed webhook stores nothing new.

Outbound: `send_text` posts to the customer-service message API (`/v3.0/oa/message/cs`) with the stored
OA access token and reuses messaging's OAuth v4 refresh (rotating refresh token, stored atomically).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from haumai.messaging import conf as messaging_conf
from haumai.messaging.channels.zalo import INVALID_TOKEN, PERMANENT_ERRORS, ZaloAuthError, refresh_access_token
from haumai.messaging.models import ZaloCredential
from haumai.support.channels.inbound import InboundMessage

MESSAGE_EVENTS = {"user_send_text", "user_send_image", "user_send_file", "user_send_sticker"}
FOLLOW_EVENTS = {"follow", "unfollow"}
SUPPORTED_EVENTS = MESSAGE_EVENTS | FOLLOW_EVENTS
MAX_BODY_BYTES = 256 * 1024


class ZaloWebhookRefused(Exception):
    """The request is not an acceptable Zalo event; `status` is the HTTP answer, `code` says why."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def oa_secret_key() -> str:
    """The OA secret key that signs webhook events (settings override the environment)."""
    return str(getattr(settings, "HAUMAI_ZALO_OA_SECRET_KEY", "") or os.environ.get("HAUMAI_ZALO_OA_SECRET_KEY", ""))


def signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """The header value Zalo sends: 'mac=' + sha256(app_id + body + timestamp + secret)."""
    digest = hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()
    return f"mac={digest}"


def _sent_at(raw: Any) -> dt.datetime:
    try:
        millis = int(str(raw))
    except ValueError as error:
        raise ZaloWebhookRefused("bad_timestamp", "timestamp is not a number") from error
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)


def _attachment_lines(message: dict[str, Any]) -> list[str]:
    lines = []
    for item in message.get("attachments") or []:
        payload = item.get("payload") or {}
        kind = str(item.get("type") or "file")
        url = str(payload.get("url") or "")
        name = str(payload.get("name") or payload.get("description") or "")
        if kind == "sticker":
            lines.append(f"[sticker] {payload.get('id') or url}".strip())
        elif url:
            lines.append(f"[{kind}] {name} {url}".replace("  ", " ").strip())
    return lines


def parse_event(body: bytes, headers: dict[str, str], *, known_oa_ids: set[str] | None = None) -> InboundMessage:
    """Verify one webhook request and turn it into an InboundMessage (refuses with ZaloWebhookRefused)."""
    if len(body) > MAX_BODY_BYTES:
        raise ZaloWebhookRefused("too_large", "event body too large", 413)
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ZaloWebhookRefused("bad_json", "body is not JSON") from error
    if not isinstance(event, dict):
        raise ZaloWebhookRefused("bad_json", "body is not a JSON object")
    secret = oa_secret_key()
    if not secret:
        raise ZaloWebhookRefused("not_configured", "HAUMAI_ZALO_OA_SECRET_KEY is not set", 503)
    given = headers.get("x-zevent-signature", "")
    expected = signature(app_id=str(event.get("app_id", "")), body=body, timestamp=str(event.get("timestamp", "")),
                         secret=secret)
    if not given or not (hmac.compare_digest(given, expected) or hmac.compare_digest(f"mac={given}", expected)):
        raise ZaloWebhookRefused("bad_signature", "X-ZEvent-Signature does not match", 401)
    name = str(event.get("event_name", ""))
    if name not in SUPPORTED_EVENTS:
        raise ZaloWebhookRefused("ignored_event", f"event {name!r} is not handled", 200)
    if name in FOLLOW_EVENTS:
        oa_id = str(event.get("oa_id") or (event.get("recipient") or {}).get("id") or "")
        user_id = str((event.get("follower") or {}).get("id") or event.get("user_id_by_app") or "")
    else:
        oa_id = str((event.get("recipient") or {}).get("id") or "")
        user_id = str((event.get("sender") or {}).get("id") or "")
    allowed = known_oa_ids if known_oa_ids is not None else active_oa_ids()
    if oa_id not in allowed:
        raise ZaloWebhookRefused("unknown_oa", "this Official Account is not connected", 404)
    if not user_id:
        raise ZaloWebhookRefused("bad_event", "event has no sender")
    sent_at = _sent_at(event.get("timestamp", ""))
    if name in FOLLOW_EVENTS:
        return InboundMessage(channel="zalo", external_id=f"{name}:{user_id}:{event.get('timestamp')}",
                              sender_kind="zalo_user_id", sender_value=user_id, sent_at=sent_at,
                              account_id=oa_id, thread_keys=(f"zalo:{oa_id}:{user_id}",), event=name)
    message = event.get("message") or {}
    msg_id = str(message.get("msg_id") or "")
    if not msg_id:
        raise ZaloWebhookRefused("bad_event", "message has no msg_id")
    text = str(message.get("text") or "")
    extra = _attachment_lines(message)
    if extra:
        text = "\n".join([line for line in [text, *extra] if line])
    return InboundMessage(channel="zalo", external_id=msg_id, sender_kind="zalo_user_id", sender_value=user_id,
                          sent_at=sent_at, text=text, account_id=oa_id, thread_keys=(f"zalo:{oa_id}:{user_id}",))


def active_oa_ids() -> set[str]:
    """The OA ids Haumai is connected to (active Zalo credentials)."""
    return set(ZaloCredential.objects.filter(is_active=True).values_list("oa_id", flat=True))


# --- outbound -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    ok: bool
    message_id: str = ""
    error_code: str = ""
    message: str = ""
    retryable: bool = False


def _post(client: httpx.Client, body: dict[str, Any], token: str) -> SendResult:
    try:
        response = client.post(messaging_conf.zalo_cs_url(), json=body, headers={"access_token": token})
    except httpx.HTTPError as exc:
        return SendResult(ok=False, error_code="connection", message=f"{type(exc).__name__}: {exc}", retryable=True)
    if response.status_code >= 500:
        return SendResult(ok=False, error_code=f"http_{response.status_code}", message=response.text[:300],
                          retryable=True)
    try:
        answer = response.json()
        error = int(answer.get("error", -1))
    except (ValueError, TypeError, AttributeError):
        return SendResult(ok=False, error_code=f"http_{response.status_code}", message=response.text[:300],
                          retryable=True)
    if error == 0:
        data = answer.get("data") or {}
        return SendResult(ok=True, message_id=str(data.get("message_id") or data.get("msg_id") or ""))
    return SendResult(ok=False, error_code=f"zalo_{error}", message=str(answer.get("message") or ""),
                      retryable=error not in PERMANENT_ERRORS)


def send_text(*, oa_id: str, user_id: str, text: str, client: httpx.Client | None = None) -> SendResult:
    """Reply to a Zalo user with a customer-service text message (refreshing the OA token when needed)."""
    credential = ZaloCredential.objects.filter(oa_id=oa_id, is_active=True).first()
    if credential is None:
        return SendResult(ok=False, error_code="unknown_oa", message="this Official Account is not connected")
    body = {"recipient": {"user_id": user_id}, "message": {"text": text[:2000]}}
    own = client is None
    http = client or httpx.Client(timeout=messaging_conf.http_timeout_seconds())
    try:
        token = credential.access_token
        try:
            if not token:
                token = refresh_access_token(http, stale_token=token)
            result = _post(http, body, token)
            if result.error_code == f"zalo_{INVALID_TOKEN}":
                token = refresh_access_token(http, stale_token=token)
                result = _post(http, body, token)
        except ZaloAuthError as exc:
            return SendResult(ok=False, error_code=exc.code, message=exc.message, retryable=True)
        return result
    finally:
        if own:
            http.close()
