"""Shipping configuration, read at call time (tests override with the `settings` fixture).

Each value comes from `django.conf.settings.HAUMAI_X`, else the environment variable `HAUMAI_X`, else a
default. Secrets (carrier tokens, webhook secrets) only ever come from the environment.
"""

from __future__ import annotations

import os

from django.conf import settings

SANDBOX_BASE_URLS = {
    "ghn": "https://dev-online-gateway.ghn.vn/shiip/public-api",
    "ghtk": "https://services-staging.ghtklab.com",
    "viettel_post": "https://partnerdev.viettelpost.vn",
    "jt": "https://demoopenapi.jtexpress.vn/webopenplatformapi",
    "ninjavan": "https://api-sandbox.ninjavan.co/SG",
}


def _value(name: str, default: str = "") -> str:
    configured = getattr(settings, name, None)
    if configured not in (None, ""):
        return str(configured)
    return os.environ.get(name, default)


def _carrier_key(carrier_code: str) -> str:
    return carrier_code.upper()


def base_url(carrier_code: str) -> str:
    """API root of a carrier, e.g. HAUMAI_GHN_BASE_URL (sandbox by default)."""
    return _value(f"HAUMAI_{_carrier_key(carrier_code)}_BASE_URL", SANDBOX_BASE_URLS.get(carrier_code, "")).rstrip("/")


def credential(carrier_code: str, name: str) -> str:
    """A carrier credential, e.g. credential('ghn', 'token') reads HAUMAI_GHN_TOKEN."""
    return _value(f"HAUMAI_{_carrier_key(carrier_code)}_{name.upper()}")


def webhook_secret(carrier_code: str) -> str:
    """The shared secret that authenticates a carrier's webhooks (HAUMAI_<CARRIER>_WEBHOOK_SECRET)."""
    return _value(f"HAUMAI_{_carrier_key(carrier_code)}_WEBHOOK_SECRET")


def connect_timeout() -> float:
    """Seconds to wait for a carrier connection."""
    return float(_value("HAUMAI_SHIPPING_CONNECT_TIMEOUT", "5"))


def read_timeout() -> float:
    """Seconds to wait for a carrier answer."""
    return float(_value("HAUMAI_SHIPPING_READ_TIMEOUT", "15"))


def max_booking_attempts() -> int:
    """Booking attempts before `shipment.booking_failed` (staff can still retry from the console)."""
    return int(_value("HAUMAI_SHIPPING_MAX_BOOKING_ATTEMPTS", "6"))


def booking_backoff_seconds() -> int:
    """First retry delay; doubles each attempt (60, 120, 240 ... seconds)."""
    return int(_value("HAUMAI_SHIPPING_BOOKING_BACKOFF_SECONDS", "60"))


def bookings_per_batch() -> int:
    """Carrier calls per claimed batch: keeps the worker's row locks (and SQLite's write lock) short."""
    return int(_value("HAUMAI_SHIPPING_BOOKINGS_PER_BATCH", "20"))


def stuck_after_hours() -> int:
    """Hours without a tracking update (in an active state) before `shipment.delayed`."""
    return int(_value("HAUMAI_SHIPPING_STUCK_AFTER_HOURS", "48"))


def webhook_asynchronous_commit() -> bool:
    """PostgreSQL only: commit webhook transactions without waiting for the WAL flush (opt-in).

    Trade-off: a database crash (not an app crash) can lose the last ~0.6 s of acknowledged webhooks;
    nothing is ever applied twice or half. Later reports and stuck detection cover such a gap.
    """
    return _value("HAUMAI_SHIPPING_WEBHOOK_ASYNC_COMMIT", "0").strip().lower() in {"1", "true", "yes", "on"}


def sandbox_carriers_url() -> str:
    """The offline demo's local carrier simulator (set by `haumai serve --demo`); empty in production."""
    return _value("HAUMAI_SANDBOX_CARRIERS_URL")


def report_future_tolerance_hours() -> float:
    """A carrier report dated more than this many hours ahead of now is kept but not applied."""
    return float(_value("HAUMAI_SHIPPING_REPORT_FUTURE_TOLERANCE_HOURS", "24"))


def report_past_tolerance_days() -> float:
    """A carrier report dated more than this many days before the shipment was created is kept, not applied."""
    return float(_value("HAUMAI_SHIPPING_REPORT_PAST_TOLERANCE_DAYS", "30"))
