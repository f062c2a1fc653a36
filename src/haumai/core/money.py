"""Money is an integer number of Vietnamese đồng (VND has no minor unit)."""

from __future__ import annotations

import re

from babel.numbers import format_currency

_NON_DIGITS = re.compile(r"[.,\s₫]|vnd|đ", re.IGNORECASE)


class InvalidAmount(ValueError):
    """Raised when a text cannot be read as a whole VND amount."""


def format_vnd(amount: int, locale: str = "vi_VN") -> str:
    """Format an integer VND amount, e.g. 1234567 -> '1.234.567 ₫'."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("VND amounts are integers")
    return format_currency(amount, "VND", locale=locale, format_type="standard").replace("\xa0", " ")


def parse_vnd(text: str | int) -> int:
    """Read '1.234.567 ₫', '1,234,567', '1234567' or 1234567 as an integer amount of VND."""
    if isinstance(text, bool):
        raise InvalidAmount("not an amount")
    if isinstance(text, int):
        return text
    raw = str(text).strip()
    negative = raw.startswith("-")
    digits = _NON_DIGITS.sub("", raw.lstrip("-"))
    if not digits.isdigit():
        raise InvalidAmount(f"'{text}' is not a whole amount of VND")
    value = int(digits)
    return -value if negative else value
