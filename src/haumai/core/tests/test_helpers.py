"""Money, phone, text and clock helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from haumai.core import clock
from haumai.core.money import InvalidAmount, format_vnd, parse_vnd
from haumai.core.phone import InvalidPhone, mask_phone, normalize_phone, try_normalize_phone
from haumai.core.text import mask_email, search_key


class TestMoney:
    def test_formats_vietnamese_style(self) -> None:
        assert format_vnd(1234567) == "1.234.567 ₫"
        assert format_vnd(0) == "0 ₫"

    def test_refuses_floats(self) -> None:
        with pytest.raises(TypeError):
            format_vnd(1.5)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["1.234.567 ₫", "1,234,567", "1234567", "1 234 567 VND", "1.234.567đ"])
    def test_parses_common_spellings(self, text: str) -> None:
        assert parse_vnd(text) == 1234567

    @pytest.mark.parametrize("text", ["12.5abc", "", "mười nghìn", "1.5e3"])
    def test_rejects_non_amounts(self, text: str) -> None:
        with pytest.raises(InvalidAmount):
            parse_vnd(text)


class TestPhone:
    @pytest.mark.parametrize(
        "raw", ["0912345678", "0912 345 678", "091.234.5678", "+84912345678", "84912345678", "+84 91 234 5678"]
    )
    def test_any_vietnamese_format_becomes_e164(self, raw: str) -> None:
        assert normalize_phone(raw) == "+84912345678"

    @pytest.mark.parametrize("raw", ["", "12345", "0112345678", "abc", "0912345678901234567890123456789012"])
    def test_invalid_numbers_raise_a_clear_error(self, raw: str) -> None:
        with pytest.raises(InvalidPhone):
            normalize_phone(raw)
        assert try_normalize_phone(raw) is None

    def test_mask_hides_the_middle(self) -> None:
        assert mask_phone("+84912345678") == "+8491****678"


class TestText:
    def test_search_key_strips_diacritics_and_d_stroke(self) -> None:
        assert search_key("  Nguyễn   Văn Đạt ") == "nguyen van dat"
        assert search_key("BẢO HÀNH") == search_key("bao hanh")
        assert search_key(None) == ""

    def test_search_key_handles_composed_and_decomposed_input(self) -> None:
        import unicodedata

        name = "Trần Thị Ánh"
        assert search_key(unicodedata.normalize("NFD", name)) == search_key(name) == "tran thi anh"

    def test_mask_email(self) -> None:
        assert mask_email("an.nguyen@example.vn") == "a*******n@example.vn"


class TestClock:
    def test_freeze_and_advance(self) -> None:
        start = dt.datetime(2026, 1, 1, 17, 30, tzinfo=dt.UTC)
        clock.freeze(start)
        assert clock.now() == start
        assert clock.today() == dt.date(2026, 1, 2)  # already the 2nd in Vietnam
        clock.advance(dt.timedelta(hours=2))
        assert clock.now() == start + dt.timedelta(hours=2)

    def test_freeze_needs_aware_datetime(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            clock.freeze(dt.datetime(2026, 1, 1))
