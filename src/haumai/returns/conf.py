"""Settings of the returns app, read at call time (tests override them with the settings fixture)."""

from __future__ import annotations

import os

from django.conf import settings


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))


def default_warehouse_code() -> str:
    """The warehouse returns go to when none is chosen (empty = the first warehouse)."""
    return _setting("HAUMAI_RETURNS_WAREHOUSE", "")


def default_carrier_code() -> str:
    """The carrier booked for a pickup when the customer did not choose one."""
    return _setting("HAUMAI_RETURNS_CARRIER", "ghn")


def trusted_customer_min_orders() -> int:
    """Delivered orders a customer needs before 'refund on first carrier scan' applies."""
    return int(_setting("HAUMAI_RETURNS_TRUSTED_MIN_ORDERS", "3"))


def max_photo_bytes() -> int:
    """Largest accepted photo upload."""
    return int(_setting("HAUMAI_RETURNS_MAX_PHOTO_BYTES", str(5 * 1024 * 1024)))


def returns_address_street() -> str:
    """Street of the returns warehouse, for warehouses that are not a store (HAUMAI_RETURNS_ADDRESS_STREET)."""
    return _setting("HAUMAI_RETURNS_ADDRESS_STREET", "")


def returns_address_ward_code() -> str:
    """2025 ward code of the returns warehouse (HAUMAI_RETURNS_ADDRESS_WARD_CODE)."""
    return _setting("HAUMAI_RETURNS_ADDRESS_WARD_CODE", "")


def returns_address_phone() -> str:
    """Phone carriers call at the returns warehouse (HAUMAI_RETURNS_ADDRESS_PHONE)."""
    return _setting("HAUMAI_RETURNS_ADDRESS_PHONE", "")


def pickup_fee_vnd() -> int:
    """What a change-of-mind return by carrier pickup costs the customer, taken off the refund (0 = free)."""
    return max(0, int(_setting("HAUMAI_RETURNS_PICKUP_FEE_VND", "0")))
