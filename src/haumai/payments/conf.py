"""Payments configuration, read at call time from Django settings or the environment (secrets: env only)."""

from __future__ import annotations

import os

from django.conf import settings


def _value(name: str, default: str = "") -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))


def vnpay_tmn_code() -> str:
    """Merchant terminal code (vnp_TmnCode)."""
    return _value("HAUMAI_VNPAY_TMN_CODE")


def vnpay_hash_secret() -> str:
    """Secret for vnp_SecureHash (HMAC-SHA512)."""
    return _value("HAUMAI_VNPAY_HASH_SECRET")


def vnpay_api_url() -> str:
    """The merchant_webapi endpoint for refund and querydr."""
    return _value("HAUMAI_VNPAY_API_URL", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")


def vnpay_ip_address() -> str:
    """vnp_IpAddr: the address of the server calling VNPay."""
    return _value("HAUMAI_VNPAY_IP_ADDRESS", "127.0.0.1")


def momo_partner_code() -> str:
    return _value("HAUMAI_MOMO_PARTNER_CODE")


def momo_access_key() -> str:
    return _value("HAUMAI_MOMO_ACCESS_KEY")


def momo_secret_key() -> str:
    """Secret for MoMo signatures (HMAC-SHA256)."""
    return _value("HAUMAI_MOMO_SECRET_KEY")


def momo_api_url() -> str:
    """Base URL of the MoMo AIO v2 gateway."""
    return _value("HAUMAI_MOMO_API_URL", "https://test-payment.momo.vn").rstrip("/")


def momo_require_response_signature() -> bool:
    """Believe MoMo answers only when they carry a valid signature (unsigned answers count as unknown)."""
    return _value("HAUMAI_MOMO_REQUIRE_RESPONSE_SIGNATURE", "1").lower() not in ("0", "false", "no")


def http_timeout_seconds() -> float:
    """How long one provider call may take; must stay well below the sending lease."""
    return float(_value("HAUMAI_PAYMENTS_HTTP_TIMEOUT", "20"))


def sending_lease_seconds() -> int:
    """After this long in 'sending' with no answer recorded, the worker asks the provider what happened.

    Renewed just before each call, so it must exceed the longest call (httpx applies the timeout to
    connect, write and read separately: up to 4x HAUMAI_PAYMENTS_HTTP_TIMEOUT).
    """
    return int(_value("HAUMAI_PAYMENTS_SENDING_LEASE", "300"))


def max_send_count() -> int:
    """Refund requests sent for one refund (each only after the provider confirmed no money moved)."""
    return int(_value("HAUMAI_PAYMENTS_MAX_SENDS", "3"))


def max_query_count() -> int:
    """Status queries before a refund with an unknown outcome goes to the needs-attention queue."""
    return int(_value("HAUMAI_PAYMENTS_MAX_QUERIES", "6"))
