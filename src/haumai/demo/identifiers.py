"""Identifiers that must be unique and valid: phone numbers, IMEIs, serials, marketplace order ids.

Uniqueness is by construction (bijections of a running index), not by remembering what was already
handed out, so memory stays flat however many customers are generated.
"""

from __future__ import annotations

import math
import random

# Vietnamese mobile prefixes (after +84) that phonenumbers accepts for every subscriber number:
# Viettel 9x/3x/86, Vinaphone 91/94/8x, Mobifone 90/93/7x, Vietnamobile 56/58.
MOBILE_PREFIXES: tuple[str, ...] = (
    "90", "91", "93", "94", "96", "97", "98",
    "32", "33", "34", "35", "36", "37", "38", "39",
    "70", "76", "77", "78", "79",
    "81", "82", "83", "84", "85", "86", "88",
    "56", "58",
)
SUBSCRIBERS_PER_PREFIX = 10_000_000
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class AffinePermutation:
    """A bijection of range(size): i -> (a*i + b) mod size, with a and b drawn from the seed."""

    def __init__(self, size: int, rng: random.Random) -> None:
        self.size = size
        multiplier = rng.randrange(size // 3, size - 1) | 1
        while math.gcd(multiplier, size) != 1:
            multiplier += 2
        self.multiplier = multiplier
        self.offset = rng.randrange(size)

    def __call__(self, index: int) -> int:
        if not 0 <= index < self.size:
            raise ValueError(f"index {index} outside 0..{self.size - 1}")
        return (self.multiplier * index + self.offset) % self.size


class PhoneNumbers:
    """Unique E.164 mobile numbers: customer index -> +84 + prefix + 7 digits."""

    capacity = len(MOBILE_PREFIXES) * SUBSCRIBERS_PER_PREFIX

    def __init__(self, seed: int) -> None:
        self.permutation = AffinePermutation(self.capacity, random.Random(f"phones:{seed}"))

    def __call__(self, index: int) -> str:
        slot = self.permutation(index)
        prefix, subscriber = divmod(slot, SUBSCRIBERS_PER_PREFIX)
        return f"+84{MOBILE_PREFIXES[prefix]}{subscriber:07d}"


class EmailNumbers:
    """Distinct numbers for e-mail addresses: customer index -> 0..10^d-1 (d from the population)."""

    def __init__(self, seed: int, population: int) -> None:
        digits = max(3, len(str(max(population - 1, 1))))
        self.permutation = AffinePermutation(10**digits, random.Random(f"emails:{seed}"))

    def __call__(self, index: int) -> int:
        return self.permutation(index)


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit * 2 with the digits of the product summed


def luhn_check_digit(body: str) -> str:
    """The Luhn check digit for a string of digits (the last digit of an IMEI)."""
    digits = [ord(char) - 48 for char in reversed(body)]
    total = sum(_DOUBLED[d] for d in digits[0::2]) + sum(digits[1::2])
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """Whether a string of digits ends with its correct Luhn check digit."""
    return number.isdigit() and len(number) >= 2 and luhn_check_digit(number[:-1]) == number[-1]


def make_imei(product_number: int, number: int, brand_prefix: str) -> str:
    """A 15-digit IMEI: TAC (2-digit reporting body + 3-digit product + 3-digit block) + 6-digit serial + Luhn.

    Unique for distinct (product_number < 1000, number < 10^9) pairs.
    """
    block, serial = divmod(number, 1_000_000)
    if block >= 1000 or not 0 <= product_number < 1000:
        raise ValueError("IMEI space exhausted")
    body = f"{brand_prefix}{product_number:03d}{block:03d}{serial:06d}"
    return body + luhn_check_digit(body)


def base36(number: int, width: int) -> str:
    """Upper-case base-36 text of a non-negative number, zero padded to `width`."""
    chars = []
    while number:
        number, remainder = divmod(number, 36)
        chars.append(_BASE36[remainder])
    return "".join(reversed(chars)).rjust(width, "0")


def make_serial(serial_prefix: str, counter: int) -> str:
    """Serial number: a fixed-width product prefix and a fixed-width base-36 counter (unique)."""
    return f"{serial_prefix}{base36(counter, 7)}"


def marketplace_order_id(channel_code: str, ordinal: int, placed_yymmdd: str) -> str | None:
    """The order id a marketplace would send (unique per channel: it embeds the order's ordinal)."""
    if channel_code == "shopee":
        # Shopee order SN: yymmdd + 8 base-36 characters.
        return f"{placed_yymmdd}{base36(ordinal * 7919 % 36**8, 8)}"
    if channel_code == "lazada":
        return str(400_000_000_000_000 + ordinal * 37)
    if channel_code == "tiktok-shop":
        return str(576_000_000_000_000_000 + ordinal * 1013)
    if channel_code == "website":
        return f"WEB{ordinal:09d}"
    return None
