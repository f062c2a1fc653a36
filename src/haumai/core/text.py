"""Text normalization for search: lowercase, no diacritics, đ -> d, single spaces."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_STROKES = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def search_key(text: str | None) -> str:
    """Fold a text for diacritic-insensitive search: 'Nguyễn Văn Đạt' -> 'nguyen van dat'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKES))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def mask_email(email: str) -> str:
    """Hide most of the local part of an e-mail address: an.nguyen@x.vn -> a******n@x.vn."""
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        return "*" * len(local) + "@" + domain
    return local[0] + "*" * (len(local) - 2) + local[-1] + "@" + domain


# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u; the tones sort
# after the base letter in dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng). f, j, w, z sit where Latin
# puts them (loanwords and foreign names).
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô",
             "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: 100 + rank for rank, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư): part of the letter


def collation_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key in Vietnamese alphabetical order: sorted(names, key=collation_key) puts 'Đà Nẵng' after 'Dak Lak'.

    Letters compare first (case and tones ignored), then the tones letter by letter, then the text itself so
    the order is total and stable.
    """
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", (text or "").lower()):
        if char in _TONE_RANK:
            if tones:
                tones[-1] = _TONE_RANK[char]
            continue
        if char in _LETTER_MARKS and letters:
            composed = unicodedata.normalize("NFC", _ALPHABET[letters[-1] - 100] + char) if letters[-1] >= 100 else ""
            letters[-1] = _LETTER_RANK.get(composed, letters[-1])
            continue
        if char == "đ":
            letters.append(_LETTER_RANK["đ"])
        elif char in _LETTER_RANK:
            letters.append(_LETTER_RANK[char])
        elif char.isdigit():
            letters.append(10 + int(char))
        elif char.isspace() or unicodedata.category(char).startswith("P"):
            if letters and letters[-1] != 1:
                letters.append(1)  # one separator rank for spaces and punctuation: "An Giang" < "Anh"
            continue
        else:
            letters.append(200 + ord(char))
        tones.append(0)
    while letters and letters[-1] == 1:
        letters.pop()
    return tuple(letters), tuple(tones), text or ""

def words_match(query: str, text: str) -> bool:
    """Every word of the query starts a word of the text, diacritics and case ignored ('nhan h' ~ 'Nhận hàng')."""
    wanted = search_key(query).split()
    if not wanted:
        return False
    words = search_key(text).split()
    return all(any(word.startswith(part) for word in words) for part in wanted)
