"""Messaging configuration, read at call time (settings override the environment; tests use `settings`)."""

from __future__ import annotations

import os

from django.conf import settings


def _get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name, default)
    return str(value)


def _int(name: str, default: int) -> int:
    return int(_get(name, str(default)))


def _float(name: str, default: float) -> float:
    return float(_get(name, str(default)))


def public_base_url() -> str:
    """Absolute origin for links in messages, e.g. https://haumai.example.vn (HAUMAI_PUBLIC_URL)."""
    return _get("HAUMAI_PUBLIC_URL", "http://localhost:8000").rstrip("/")


def max_attempts() -> int:
    """Provider calls per delivery before it is given up (HAUMAI_MESSAGING_MAX_ATTEMPTS)."""
    return _int("HAUMAI_MESSAGING_MAX_ATTEMPTS", 6)


def retry_base_seconds() -> int:
    """First retry delay; doubles per attempt (HAUMAI_MESSAGING_RETRY_SECONDS)."""
    return _int("HAUMAI_MESSAGING_RETRY_SECONDS", 60)


def retry_max_seconds() -> int:
    """Longest retry delay (HAUMAI_MESSAGING_RETRY_MAX_SECONDS)."""
    return _int("HAUMAI_MESSAGING_RETRY_MAX_SECONDS", 6 * 3600)


def sending_timeout_seconds() -> int:
    """A delivery still 'sending' after this long was interrupted and is reconciled."""
    return max(_int("HAUMAI_MESSAGING_SENDING_TIMEOUT_SECONDS", 600), 1)


def claim_timeout_seconds() -> int:
    """A claimed delivery whose send has not started after this long returns to the queue."""
    return max(_int("HAUMAI_MESSAGING_CLAIM_TIMEOUT_SECONDS", 300), 1)


def http_timeout_seconds() -> float:
    """Timeout of each provider HTTP call (HAUMAI_MESSAGING_HTTP_TIMEOUT)."""
    return _float("HAUMAI_MESSAGING_HTTP_TIMEOUT", 10.0)


def email_from() -> str:
    """Sender of customer e-mails (HAUMAI_MESSAGING_EMAIL_FROM, else DEFAULT_FROM_EMAIL)."""
    return _get("HAUMAI_MESSAGING_EMAIL_FROM", str(getattr(settings, "DEFAULT_FROM_EMAIL", "")))


def email_backend() -> str:
    """Django e-mail backend for customer e-mails (HAUMAI_MESSAGING_EMAIL_BACKEND, else EMAIL_BACKEND)."""
    return _get("HAUMAI_MESSAGING_EMAIL_BACKEND", str(getattr(settings, "EMAIL_BACKEND", "")))


def zalo_oauth_url() -> str:
    """Zalo OAuth v4 token endpoint."""
    return _get("HAUMAI_ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token")


def zalo_cs_url() -> str:
    """Zalo OA customer-service message endpoint."""
    return _get("HAUMAI_ZALO_CS_URL", "https://openapi.zalo.me/v3.0/oa/message/cs")


def zalo_zns_url() -> str:
    """Zalo ZNS template message endpoint."""
    return _get("HAUMAI_ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")


def zalo_app_secret() -> str:
    """The Zalo app's secret key (header `secret_key` of the token refresh); environment only."""
    return os.environ.get("HAUMAI_ZALO_APP_SECRET", "") or str(getattr(settings, "HAUMAI_ZALO_APP_SECRET", "") or "")


def esms_url() -> str:
    """eSMS.vn customer-care SMS endpoint (SendMultipleMessage_V4_post_json)."""
    return _get("HAUMAI_ESMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/")


def esms_api_key() -> str:
    """eSMS ApiKey (environment)."""
    return _get("HAUMAI_ESMS_API_KEY")


def esms_secret_key() -> str:
    """eSMS SecretKey (environment)."""
    return _get("HAUMAI_ESMS_SECRET_KEY")


def esms_brandname() -> str:
    """Registered SMS brandname shown as sender."""
    return _get("HAUMAI_ESMS_BRANDNAME")


def esms_sandbox() -> bool:
    """Send with Sandbox=1 (eSMS accepts but delivers nothing)."""
    return _get("HAUMAI_ESMS_SANDBOX", "0").lower() in ("1", "true", "yes")


def sms_provider() -> str:
    """Which SMS provider sends: 'esms' (the only one built)."""
    return _get("HAUMAI_SMS_PROVIDER", "esms")
