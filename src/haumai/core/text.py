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


def words_match(query: str, text: str) -> bool:
    """Every word of the query starts a word of the text, diacritics and case ignored ('nhan h' ~ 'Nhận hàng')."""
    wanted = search_key(query).split()
    if not wanted:
        return False
    words = search_key(text).split()
    return all(any(word.startswith(part) for word in words) for part in wanted)
