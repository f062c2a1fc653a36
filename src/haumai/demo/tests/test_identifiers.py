"""Phone numbers, IMEIs, serials and marketplace ids: valid and unique by construction."""

from __future__ import annotations

import random

import pytest

from haumai.core.phone import normalize_phone
from haumai.demo.identifiers import (
    MOBILE_PREFIXES,
    SUBSCRIBERS_PER_PREFIX,
    AffinePermutation,
    EmailNumbers,
    PhoneNumbers,
    base36,
    luhn_check_digit,
    luhn_valid,
    make_imei,
    make_serial,
    marketplace_order_id,
)


@pytest.mark.parametrize("prefix", MOBILE_PREFIXES)
def test_every_mobile_prefix_is_valid_at_both_ends(prefix: str) -> None:
    for subscriber in (0, 1234567, SUBSCRIBERS_PER_PREFIX - 1):
        number = f"+84{prefix}{subscriber:07d}"
        assert normalize_phone(number) == number
        assert prefix[0] in "93785"


def test_phone_numbers_are_valid_unique_and_seeded() -> None:
    phones = PhoneNumbers(seed=42)
    numbers = [phones(i) for i in range(20_000)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:2_000]:
        assert normalize_phone(number) == number
    assert [PhoneNumbers(seed=42)(i) for i in range(50)] == numbers[:50]
    assert [PhoneNumbers(seed=7)(i) for i in range(50)] != numbers[:50]


def test_affine_permutation_is_a_bijection() -> None:
    permutation = AffinePermutation(10_000, random.Random(1))
    assert sorted(permutation(i) for i in range(10_000)) == list(range(10_000))
    with pytest.raises(ValueError, match="outside"):
        permutation(10_000)


def test_email_numbers_cover_the_population_without_repeats() -> None:
    numbers = EmailNumbers(seed=3, population=5_000)
    values = [numbers(i) for i in range(5_000)]
    assert len(set(values)) == 5_000
    assert max(values) < 10_000


def test_luhn_known_imei() -> None:
    assert luhn_check_digit("49015420323751") == "8"
    assert luhn_valid("490154203237518")
    assert not luhn_valid("490154203237519")


def test_imeis_are_15_digits_luhn_valid_and_unique() -> None:
    imeis = {make_imei(product, counter, "35") for product in (0, 1, 999) for counter in range(0, 30_000_000, 9973)}
    assert len(imeis) == 3 * len(range(0, 30_000_000, 9973))
    for imei in imeis:
        assert len(imei) == 15 and imei.isdigit() and luhn_valid(imei)
    with pytest.raises(ValueError, match="exhausted"):
        make_imei(1, 1_000_000_000, "35")
    with pytest.raises(ValueError, match="exhausted"):
        make_imei(1000, 1, "35")


def test_serials_are_fixed_width_and_unique() -> None:
    serials = {make_serial("SM001", n) for n in range(0, 5_000_000, 101)}
    assert len(serials) == len(range(0, 5_000_000, 101))
    assert {len(s) for s in serials} == {12}
    assert base36(35, 2) == "0Z"


def test_marketplace_order_ids_are_unique_per_channel() -> None:
    for channel in ("shopee", "lazada", "tiktok-shop", "website"):
        ids = {marketplace_order_id(channel, n, "261122") for n in range(1, 20_000)}
        assert len(ids) == 19_999
    assert marketplace_order_id("store", 1, "261122") is None
    assert marketplace_order_id("shopee", 1, "261122").startswith("261122")
