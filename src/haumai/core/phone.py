"""Phone numbers are stored in E.164 (+84912345678)."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """Raised when a text is not a valid phone number."""


def normalize_phone(raw: str, region: str = "VN") -> str:
    """Return the E.164 form of any Vietnamese or international format, or raise InvalidPhone."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("phone number is empty")
    if len(text) > 32:
        raise InvalidPhone("phone number is too long")
    if text.startswith("84") and not text.startswith("+") and len("".join(filter(str.isdigit, text))) == 11:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"'{raw}' is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"'{raw}' is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw: str, region: str = "VN") -> str | None:
    """Return the E.164 form, or None when the text is not a valid phone number."""
    try:
        return normalize_phone(raw, region)
    except InvalidPhone:
        return None


def mask_phone(e164: str) -> str:
    """Hide the middle of a phone number: +84912345678 -> +8491****678."""
    if len(e164) < 7:
        return "*" * len(e164)
    return e164[:5] + "*" * (len(e164) - 8) + e164[-3:]
