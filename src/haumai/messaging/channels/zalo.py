"""Zalo OA customer-service messages and ZNS template messages, with OAuth v4 token refresh.

Zalo answers HTTP 200 with `error` != 0 for failures. -124 (invalid access token): refresh the token
and retry once; -216 (user blocked the OA): give up; anything else unknown: retry later. The refresh
token rotates on every refresh, so the new pair is stored in the same locked transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
from django.db import transaction

from haumai.core import clock
from haumai.messaging import conf
from haumai.messaging.channels.base import Outcome
from haumai.messaging.models import Delivery, ZaloCredential

INVALID_TOKEN = -124
USER_BLOCKED = -216
PERMANENT_ERRORS = {USER_BLOCKED}


class ZaloAuthError(Exception):
    """The token refresh failed (missing configuration or Zalo refused the refresh token)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _credential() -> ZaloCredential:
    credential = ZaloCredential.objects.filter(is_active=True).order_by("pk").first()
    if credential is None:
        raise ZaloAuthError("zalo_not_configured", "No active Zalo OA credential (add one in the admin)")
    return credential


def refresh_access_token(client: httpx.Client, *, stale_token: str) -> str:
    """Exchange the refresh token for a new pair and store both atomically; return the access token.

    If another worker refreshed meanwhile (the stored token differs from `stale_token`), use theirs:
    refreshing twice with the same rotated token would fail and lock the OA out.
    """
    secret = conf.zalo_app_secret()
    if not secret:
        raise ZaloAuthError("zalo_not_configured", "HAUMAI_ZALO_APP_SECRET is not set")
    with transaction.atomic():
        credential = ZaloCredential.objects.select_for_update().get(pk=_credential().pk)
        now = clock.now()
        if (
            credential.access_token
            and credential.access_token != stale_token
            and (credential.access_expires_at is None or credential.access_expires_at > now)
        ):
            return credential.access_token
        try:
            response = client.post(
                conf.zalo_oauth_url(),
                headers={"secret_key": secret},
                data={"refresh_token": credential.refresh_token, "app_id": credential.app_id,
                      "grant_type": "refresh_token"},
            )
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloAuthError("zalo_refresh_unreachable", f"{type(exc).__name__}: {exc}") from exc
        if not answer.get("access_token") or not answer.get("refresh_token"):
            code = answer.get("error", response.status_code)
            text = answer.get("error_description") or answer.get("error_name") or answer.get("message") or ""
            raise ZaloAuthError(f"zalo_{code}", f"Token refresh refused: {text}")
        credential.access_token = answer["access_token"]
        credential.refresh_token = answer["refresh_token"]
        credential.access_expires_at = now + dt.timedelta(seconds=int(answer.get("expires_in") or 90000))
        credential.refreshed_at = now
        credential.save(update_fields=["access_token", "refresh_token", "access_expires_at", "refreshed_at"])
        return credential.access_token


def zns_phone(e164: str) -> str:
    """ZNS wants 84xxxxxxxxx: +84912345678 -> 84912345678."""
    return e164.lstrip("+")


class ZaloSender:
    """Sends OA customer-service messages ("zalo") or ZNS template messages ("zns")."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def _request(self, delivery: Delivery) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any]
        if self.channel == "zalo":
            body = {"recipient": {"user_id": delivery.destination}, "message": {"text": delivery.body_text}}
            return conf.zalo_cs_url(), body
        payload = delivery.payload or {}
        body = {
            "phone": zns_phone(delivery.destination),
            "template_id": payload.get("template_id", ""),
            "template_data": payload.get("template_data", {}),
            "tracking_id": delivery.tracking_id,
        }
        return conf.zalo_zns_url(), body

    def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
        with httpx.Client(timeout=conf.http_timeout_seconds()) as client:
            try:
                credential = _credential()
                token = credential.access_token
                expires = credential.access_expires_at
                if expires is not None and expires <= clock.now() + dt.timedelta(minutes=5):
                    token = refresh_access_token(client, stale_token=token)
            except ZaloAuthError as exc:
                for delivery in deliveries:
                    yield delivery, Outcome.retry(exc.code, exc.message)
                return
            for delivery in deliveries:
                outcome, token = self._send_one(client, delivery, token)
                yield delivery, outcome

    def _send_one(self, client: httpx.Client, delivery: Delivery, token: str) -> tuple[Outcome, str]:
        url, body = self._request(delivery)
        try:
            if not token:
                token = refresh_access_token(client, stale_token=token)
            outcome = self._post(client, url, body, token)
            if outcome.error_code == f"zalo_{INVALID_TOKEN}":
                token = refresh_access_token(client, stale_token=token)
                outcome = self._post(client, url, body, token)
        except ZaloAuthError as exc:
            return Outcome.retry(exc.code, exc.message), token
        return outcome, token

    def _post(self, client: httpx.Client, url: str, body: dict[str, Any], token: str) -> Outcome:
        try:
            response = client.post(url, json=body, headers={"access_token": token})
        except httpx.TimeoutException as exc:
            return Outcome.retry("timeout", f"No answer from Zalo within {conf.http_timeout_seconds()} s: {exc}")
        except httpx.HTTPError as exc:
            return Outcome.retry("connection", f"{type(exc).__name__}: {exc}")
        if response.status_code >= 500:
            return Outcome.retry(f"http_{response.status_code}", response.text[:500], response.status_code)
        try:
            answer = response.json()
        except ValueError:
            status = response.status_code
            return Outcome.retry(f"http_{status}", f"Not JSON: {response.text[:300]}", status)
        error = int(answer.get("error", -1)) if str(answer.get("error", "")).lstrip("-").isdigit() else -1
        if error == 0:
            data = answer.get("data") or {}
            message_id = str(data.get("message_id") or data.get("msg_id") or "")
            return Outcome.ok(message_id, response.status_code)
        message = str(answer.get("message") or "")
        if error in PERMANENT_ERRORS:
            return Outcome.permanent(f"zalo_{error}", message, response.status_code)
        return Outcome.retry(f"zalo_{error}", message, response.status_code)
