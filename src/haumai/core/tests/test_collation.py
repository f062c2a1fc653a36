"""Vietnamese alphabetical order for lists of names (provinces, wards, people)."""

from __future__ import annotations

from haumai.core.text import collation_key


def test_d_with_stroke_comes_right_after_d_not_after_z() -> None:
    names = ["Vĩnh Long", "Đà Nẵng", "Điện Biên", "Cần Thơ", "Đồng Nai", "Gia Lai", "Dak Test", "Tuyên Quang"]
    assert sorted(names, key=collation_key) == [
        "Cần Thơ", "Dak Test", "Đà Nẵng", "Điện Biên", "Đồng Nai", "Gia Lai", "Tuyên Quang", "Vĩnh Long",
    ]


def test_letters_with_marks_are_letters_of_their_own() -> None:
    # a < ă < â, e < ê, o < ô < ơ, u < ư, whatever the tone
    assert sorted(["âm", "ăn", "ạn", "ơi", "ôi", "ọi", "ưa", "ủa", "êm", "ém"], key=collation_key) == [
        "ạn", "ăn", "âm", "ém", "êm", "ọi", "ôi", "ơi", "ủa", "ưa",
    ]


def test_tones_break_ties_in_dictionary_order() -> None:
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=collation_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]


def test_words_compare_before_longer_words_and_case_is_ignored() -> None:
    assert sorted(["Hải Phòng", "hà tĩnh", "Hà Nội", "HUẾ", "Hưng Yên"], key=collation_key) == [
        "Hà Nội", "hà tĩnh", "Hải Phòng", "HUẾ", "Hưng Yên",
    ]


def test_same_letters_in_decomposed_and_composed_form_sort_together() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đắk Lắk")
    assert collation_key(decomposed)[:2] == collation_key("Đắk Lắk")[:2]
    assert collation_key(None) == ((), (), "")
