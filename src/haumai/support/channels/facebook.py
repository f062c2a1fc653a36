"""Facebook Messenger channel: the page webhook (inbound) and the Send API (outbound).

Inbound: Meta first verifies the webhook with GET `hub.mode=subscribe`, `hub.verify_token`,
`hub.challenge` (we echo the challenge when the token matches `HAUMAI_FACEBOOK_VERIFY_TOKEN`). Events
arrive as POST `{"object": "page", "entry": [{"id": PAGE_ID, "messaging": [...]}]}` signed with
`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body, keyed with the app secret>`
(`HAUMAI_FACEBOOK_APP_SECRET`). Pages must be listed in `HAUMAI_FACEBOOK_PAGES` (JSON object
page id -> page access token, or a comma-separated list of ids with tokens in
`HAUMAI_FACEBOOK_PAGE_TOKEN_<id>`); events for other pages are refused. The message `mid` is the
dedup key. Echoes of our own messages (`is_echo`) and delivery/read receipts are skipped.

Outbound: `send_text` posts `POST {graph}/v19.0/me/messages?access_token=<page token>` with
`messaging_type=RESPONSE`.
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

from haumai.support.channels.inbound import InboundMessage

GRAPH_VERSION = "v19.0"
MAX_BODY_BYTES = 1024 * 1024


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


def app_secret() -> str:
    """The Meta app secret that signs webhook bodies."""
    return _setting("HAUMAI_FACEBOOK_APP_SECRET")


def verify_token() -> str:
    """The token we gave Meta for the subscription handshake."""
    return _setting("HAUMAI_FACEBOOK_VERIFY_TOKEN")


def graph_url() -> str:
    """Graph API base URL (a local server in tests)."""
    return _setting("HAUMAI_FACEBOOK_GRAPH_URL", "https://graph.facebook.com").rstrip("/")


def page_tokens() -> dict[str, str]:
    """Connected pages: page id -> page access token."""
    raw = _setting("HAUMAI_FACEBOOK_PAGES").strip()
    if not raw:
        return {}
    if raw.startswith("{"):
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {page.strip(): _setting(f"HAUMAI_FACEBOOK_PAGE_TOKEN_{page.strip()}") for page in raw.split(",")
            if page.strip()}


class FacebookWebhookRefused(Exception):
    """The request is not an acceptable Messenger webhook; `status` is the HTTP answer."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def handshake(params: dict[str, str]) -> str:
    """The challenge to echo for a valid subscription request (refuses otherwise)."""
    expected = verify_token()
    if not expected:
        raise FacebookWebhookRefused("not_configured", "HAUMAI_FACEBOOK_VERIFY_TOKEN is not set", 503)
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(params.get("hub.verify_token", ""), expected):
        raise FacebookWebhookRefused("bad_verify_token", "verification token does not match", 403)
    challenge = params.get("hub.challenge", "")
    if not challenge:
        raise FacebookWebhookRefused("no_challenge", "hub.challenge is missing")
    return challenge


def body_signature(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 header value for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _when(raw: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(raw) / 1000, tz=dt.UTC)
    except (TypeError, ValueError) as error:
        raise FacebookWebhookRefused("bad_timestamp", "timestamp is not a number") from error


def _message(page_id: str, item: dict[str, Any]) -> InboundMessage | None:
    sender = str((item.get("sender") or {}).get("id") or "")
    message = item.get("message")
    if not isinstance(message, dict) or message.get("is_echo") or not sender or sender == page_id:
        return None  # receipts, echoes of our own replies, postbacks without a message
    mid = str(message.get("mid") or "")
    if not mid:
        raise FacebookWebhookRefused("bad_event", "message has no mid")
    lines = [str(message.get("text") or "")]
    for attachment in message.get("attachments") or []:
        payload = attachment.get("payload") or {}
        url = str(payload.get("url") or "")
        if url:
            lines.append(f"[{attachment.get('type') or 'file'}] {url}")
    reply_to = str((message.get("reply_to") or {}).get("mid") or "")
    return InboundMessage(channel="facebook", external_id=mid, sender_kind="facebook_psid", sender_value=sender,
                          sent_at=_when(item.get("timestamp")), text="\n".join(line for line in lines if line),
                          account_id=page_id,
                          thread_keys=tuple(key for key in (f"facebook:{page_id}:{sender}", reply_to) if key))


def parse_webhook(body: bytes, headers: dict[str, str], *, pages: set[str] | None = None) -> list[InboundMessage]:
    """Verify one POST and return its messages (refuses with FacebookWebhookRefused)."""
    if len(body) > MAX_BODY_BYTES:
        raise FacebookWebhookRefused("too_large", "body too large", 413)
    secret = app_secret()
    if not secret:
        raise FacebookWebhookRefused("not_configured", "HAUMAI_FACEBOOK_APP_SECRET is not set", 503)
    given = headers.get("x-hub-signature-256", "")
    if not given or not hmac.compare_digest(given, body_signature(body, secret)):
        raise FacebookWebhookRefused("bad_signature", "X-Hub-Signature-256 does not match", 401)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FacebookWebhookRefused("bad_json", "body is not JSON") from error
    if not isinstance(data, dict) or data.get("object") != "page":
        raise FacebookWebhookRefused("not_page", "only page subscriptions are handled")
    known = pages if pages is not None else set(page_tokens())
    messages: list[InboundMessage] = []
    for entry in data.get("entry") or []:
        page_id = str(entry.get("id") or "")
        if page_id not in known:
            raise FacebookWebhookRefused("unknown_page", "this page is not connected", 404)
        for item in entry.get("messaging") or []:
            parsed = _message(page_id, item)
            if parsed is not None:
                messages.append(parsed)
    return messages


@dataclass(frozen=True)
class SendResult:
    ok: bool
    message_id: str = ""
    error_code: str = ""
    message: str = ""
    retryable: bool = False


def send_text(*, page_id: str, psid: str, text: str, client: httpx.Client | None = None) -> SendResult:
    """Reply to a Messenger user (within the 24-hour window) through the Send API."""
    token = page_tokens().get(page_id, "")
    if not token:
        return SendResult(ok=False, error_code="unknown_page", message="this page is not connected")
    body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": text[:2000]}}
    own = client is None
    http = client or httpx.Client(timeout=float(_setting("HAUMAI_MESSAGING_HTTP_TIMEOUT", "10")))
    try:
        response = http.post(f"{graph_url()}/{GRAPH_VERSION}/me/messages", params={"access_token": token}, json=body)
    except httpx.HTTPError as exc:
        return SendResult(ok=False, error_code="connection", message=f"{type(exc).__name__}: {exc}", retryable=True)
    finally:
        if own:
            http.close()
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code == 200 and answer.get("message_id"):
        return SendResult(ok=True, message_id=str(answer["message_id"]))
    error = answer.get("error") or {}
    code = error.get("code", response.status_code)
    # 190: token expired/invalid; 10 / 2018278: outside the messaging window; 551: user unavailable.
    retryable = response.status_code >= 500 or bool(error.get("is_transient")) or code in (1, 2, 4, 613)
    return SendResult(ok=False, error_code=f"facebook_{code}", message=str(error.get("message") or "")[:300],
                      retryable=retryable)
