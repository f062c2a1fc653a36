"""Reading one cell: text, whole numbers, VND amounts, yes/no, dates and times, phones.

Parsers raise CellError with a message for the user; the caller adds the line and column.
Parsers that see the same raw text many times in a big file (phones, timestamps) are cached.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from haumai.core.clock import LOCAL_TZ
from haumai.core.money import InvalidAmount, parse_vnd
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.core.text import search_key

Cell = str | int | float | dt.datetime | dt.date | bool | None


class CellError(ValueError):
    """A cell cannot be read; the message says why."""


def text(value: Cell) -> str:
    """A cell as stripped text ('' for empty); whole floats from Excel lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


_WHOLE = re.compile(r"^[+-]?\d+$")


def whole_number(value: Cell, *, minimum: int | None = None) -> int:
    """A whole number ('3', 3, 3.0), optionally at least `minimum`."""
    if isinstance(value, bool):
        raise CellError("must be a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"'{value}' is not a whole number")
        number = int(value)
    else:
        raw = text(value)
        if raw.endswith(".0"):
            raw = raw[:-2]
        if not _WHOLE.match(raw):
            raise CellError(f"'{raw}' is not a whole number")
        number = int(raw)
    if minimum is not None and number < minimum:
        raise CellError(f"must be at least {minimum}, got {number}")
    return number


_CURRENCY = re.compile(r"\s*(₫|vnd|vnđ|đ|dong|đồng)\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")


def vnd(value: Cell) -> int:
    """A whole, non-negative VND amount: 1500000, '1.500.000', '1,500,000 ₫'; never decimals."""
    if isinstance(value, bool):
        raise CellError("is not an amount of VND")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"'{value}' is not a whole amount of VND (VND has no decimals)")
        value = int(value)
    if isinstance(value, int):
        amount = value
    else:
        raw = _CURRENCY.sub("", text(value))
        if not (_WHOLE.match(raw) or _GROUPED.match(raw)):
            raise CellError(f"'{text(value)}' is not a whole amount of VND (VND has no decimals)")
        try:
            amount = parse_vnd(raw)
        except InvalidAmount as exc:
            raise CellError(str(exc)) from exc
    if amount < 0:
        raise CellError(f"amount cannot be negative ({amount})")
    return amount


_TRUE = {"1", "true", "yes", "y", "x", "co", "dong y", "t"}
_FALSE = {"0", "false", "no", "n", "khong", "f", "tu choi"}


def yes_no(value: Cell) -> bool:
    """Yes/no in English or Vietnamese: yes/no, true/false, 1/0, x, có/không."""
    if isinstance(value, bool):
        return value
    key = search_key(text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"'{text(value)}' is not yes/no (use yes/no, 1/0 or có/không)")


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date(value: Cell) -> dt.date:
    """A date written dd/mm/yyyy or yyyy-mm-dd (or an Excel date cell)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_date(text(value))


_MIDNIGHT = re.compile(r"[ T]0?0:00(?::00)?$")


@lru_cache(maxsize=65536)
def _parse_date(raw: str) -> dt.date:
    raw = _MIDNIGHT.sub("", raw)  # an Excel date cell read as a timestamp at midnight
    match = _DMY.match(raw)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = _YMD.match(raw)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise CellError(f"'{raw}' is not a real date") from exc
    raise CellError(f"'{raw}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


_DMY_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def moment(value: Cell) -> dt.datetime:
    """A timestamp as an aware datetime; times without a zone are Vietnam time (Asia/Ho_Chi_Minh)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=LOCAL_TZ)
    return _parse_moment(text(value))


@lru_cache(maxsize=262144)
def _parse_moment(raw: str) -> dt.datetime:
    zone: dt.tzinfo = LOCAL_TZ
    match = _DMY_TIME.match(raw)
    try:
        if match:
            day, month, year = int(match[1]), int(match[2]), int(match[3])
            hour, minute, second = (int(match[i] or 0) for i in (4, 5, 6))
        else:
            match = _ISO_TIME.match(raw)
            if not match:
                raise CellError(f"'{raw}' is not a date and time (use dd/mm/yyyy hh:mm or yyyy-mm-dd hh:mm[:ss])")
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            hour, minute, second = (int(match[i] or 0) for i in (4, 5, 6))
            if match[7]:
                zone = _offset(match[7])
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"'{raw}' is not a real date and time") from exc


def _offset(raw: str) -> dt.tzinfo:
    if raw == "Z":
        return dt.UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


_PHONE_SEPARATORS = str.maketrans("", "", " .-()")


@lru_cache(maxsize=1000)
def _whole_prefix_valid(prefix: str) -> bool:
    """True when every 10-digit number under a 4-digit prefix (0XYZ) is valid, asked of libphonenumber.

    Lets a big file skip the full parser for well-formed Vietnamese numbers while accepting exactly
    what normalize_phone accepts (samples across the range must all be valid for a prefix to count).
    """
    samples = ("000000", "123456", "555555", "999999", "314159", "868686")
    return all(_try_phone(prefix + rest) == "+84" + prefix[1:] + rest for rest in samples)


def _try_phone(raw: str) -> str | None:
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        return None


@lru_cache(maxsize=262144)
def _phone(raw: str) -> str:
    digits = raw.translate(_PHONE_SEPARATORS)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.isdigit() and _whole_prefix_valid(digits[:4]):
        return "+84" + digits[1:]
    try:
        return normalize_phone(raw)
    except InvalidPhone as exc:
        raise CellError(str(exc)) from exc


def phone(value: Cell) -> str:
    """A phone number in E.164 (+84912345678); Vietnamese numbers may omit +84 or the leading 0."""
    return _phone(text(value))


def email(value: Cell) -> str:
    """A lower-cased e-mail address."""
    raw = text(value).lower()
    try:
        validate_email(raw)
    except ValidationError as exc:
        raise CellError(f"'{raw}' is not an e-mail address") from exc
    return raw


@lru_cache(maxsize=4096)
def _choice_key(raw: str) -> str:
    return search_key(raw).replace(" ", "_")


def choice(value: Cell, choices: Mapping[str, str], label: str) -> str:
    """One of a fixed set of values, matched without case or diacritics (aliases allowed)."""
    key = _choice_key(text(value))
    if key in choices:
        return choices[key]
    allowed = ", ".join(sorted(set(choices.values()) - {""}))
    raise CellError(f"'{text(value)}' is not a known {label} (use one of: {allowed})")
