"""Reading what customers type: folding, teencode, misspellings, the language, and the codes in a message.

Everything is compared folded (`haumai.core.text.search_key`: lower case, no diacritics, đ → d), so
"đơn hàng", "don hang" and "ĐƠN HÀNG" are one text. Teencode tokens ("ko", "dc", "bh", "sp", "j", "z",
"r", "mik", "ntn", "bn" ...) are expanded to their words, and a word the bot does not know is replaced
by the closest known word within a small edit distance ("giaoo" → "giao", "baohanh" stays unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from haumai.core.phone import try_normalize_phone
from haumai.core.text import search_key

# What the bot reads of one message: longer pastes are cut (the whole text stays on the ticket).
MAX_READ_CHARS = 600

_WORD = re.compile(r"[a-z0-9]+")
_HAS_VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Folded teencode token -> folded words (a token is a whole word; several words may replace one).
TEENCODE: dict[str, str] = {
    "ko": "khong", "k": "khong", "kh": "khong", "khg": "khong", "kg": "khong", "hok": "khong",
    "hk": "khong", "hem": "khong", "khum": "khong", "hum": "khong", "kp": "khong phai",
    "dc": "duoc", "dk": "duoc", "duoc": "duoc", "dduoc": "duoc",
    "bh": "bao hanh", "bhanh": "bao hanh", "bgio": "bay gio", "bjo": "bay gio", "bay h": "bay gio",
    "sp": "san pham", "spham": "san pham",
    "j": "gi", "ji": "gi", "z": "vay", "v": "vay", "zay": "vay", "dzay": "vay",
    "r": "roi", "rui": "roi", "oy": "roi", "ruj": "roi",
    "mik": "minh", "mk": "minh", "mjk": "minh", "mih": "minh", "mjnh": "minh", "mn": "moi nguoi",
    "ntn": "nhu the nao", "sao z": "sao vay",
    "bn": "bao nhieu", "bnh": "bao nhieu", "bnhieu": "bao nhieu", "nhiu": "nhieu",
    "dh": "don hang", "donhang": "don hang", "dhang": "don hang",
    "nv": "nhan vien", "nvien": "nhan vien", "tv": "tu van", "tvv": "tu van vien",
    "ad": "admin", "shop": "shop", "sdt": "so dien thoai", "dt": "dien thoai", "dthoai": "dien thoai",
    "cx": "cung", "cg": "cung", "trc": "truoc", "ns": "noi", "lm": "lam", "ms": "moi", "vs": "voi",
    "bik": "biet", "bit": "biet", "wa": "qua", "hnay": "hom nay", "hqua": "hom qua", "tg": "thoi gian",
    "kq": "ket qua", "ng": "nguoi", "nguoj": "nguoi", "tks": "thanks", "thank": "thanks", "thx": "thanks",
    "ty": "thanks", "camon": "cam on", "cmon": "cam on", "pls": "please", "plz": "please",
    "e": "em", "a": "anh", "c": "chi", "oi": "oi", "ah": "a", "uh": "u", "ok": "ok", "oke": "ok", "okie": "ok",
    "gap": "gap", "ktra": "kiem tra", "kiemtra": "kiem tra", "tra cuu": "tra cuu", "tracuu": "tra cuu",
    "bhiem": "bao hiem", "ship": "giao", "shipper": "giao", "sua chua": "sua chua", "suachua": "sua chua",
    "lich hen": "lich hen", "dat lich": "dat lich", "datlich": "dat lich", "doitra": "doi tra",
    "hoantien": "hoan tien", "baohanh": "bao hanh", "nhanvien": "nhan vien", "cskh": "cham soc khach hang",
    "dchi": "dia chi", "dc chi": "dia chi", "t7": "thu bay", "cn": "chu nhat", "mng": "moi nguoi",
    "bao hang": "bao hanh", "hello": "hello", "hi": "hi", "helo": "hello", "hallo": "hello", "xin chao": "xin chao",
    "u": "you", "ur": "your", "im": "i am", "dont": "do not", "cant": "can not", "wont": "will not",
}

# English words that tell the language (folded text cannot tell "do" from "đó", so a few are enough).
ENGLISH_HINTS = _words(
    "the my is are where when what how can could would i you your to of and please hello hi hey thanks "
    "thank order orders delivery delivered return refund warranty repair book appointment store stores "
    "opening hours address human person agent talk speak want need help status package parcel track "
    "tracking it this that with for not yet arrived broken fix service centre center guide use clean "
    "does do did have has check bye goodbye morning evening which phone number code"
)
VIETNAMESE_HINTS = _words(
    "toi cua khong don hang bao hanh cho minh em anh chi oi a da la gi sao nao roi chua duoc giao "
    "muon nhu the nay voi cho ve bi lam sao o dau bao gio may cai nhe ak ha ko nhan vien gap hoi "
    "sua chua doi tra hoan tien lich hen dat cua hang trung tam mo cua"
)


@dataclass(frozen=True)
class Reading:
    """A message as the bot reads it."""

    original: str
    folded: str  # folded words after teencode and corrections, single spaces
    words: tuple[str, ...]
    language: str  # "vi" or "en"
    corrected: tuple[tuple[str, str], ...] = ()  # (typed, read as)
    order_codes: tuple[str, ...] = ()
    return_codes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    truncated: bool = False
    extra: dict[str, str] = field(default_factory=dict)


_ORDER_CODE = re.compile(r"\b(ORD)[\s\-_]*(\d{4})[\s\-_]*(\d{1,8})\b", re.I)
_RETURN_CODE = re.compile(r"\b(RMA)[\s\-_]*(\d{4})[\s\-_]*(\d{1,8})\b", re.I)
_PHONE = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.\-]?\d){9}(?![\w])")
_SERIAL = re.compile(r"\b(?=[A-Z0-9\-]*\d)(?=[A-Z0-9\-]*[A-Z])[A-Z0-9][A-Z0-9\-]{5,30}\b|\b\d{15}\b", re.I)
_SMALL_NUMBER = re.compile(r"(?<![\w:/.,])([1-9])(?![\w:/.,])")


def _code(prefix: str, year: str, number: str) -> str:
    return f"{prefix.upper()}-{year}-{int(number):06d}"


def _codes(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    orders = tuple(dict.fromkeys(_code(*m.groups()) for m in _ORDER_CODE.finditer(text)))
    returns = tuple(dict.fromkeys(_code(*m.groups()) for m in _RETURN_CODE.finditer(text)))
    rest = _RETURN_CODE.sub(" ", _ORDER_CODE.sub(" ", text))
    return orders, returns, rest


def _phones(text: str) -> tuple[tuple[str, ...], str]:
    found: list[str] = []
    for match in _PHONE.finditer(text):
        e164 = try_normalize_phone(match.group(0))
        if e164:
            found.append(e164)
    return tuple(dict.fromkeys(found)), _PHONE.sub(" ", text)


def _serials(text: str) -> tuple[str, ...]:
    found = []
    for match in _SERIAL.finditer(text):
        token = match.group(0).strip("-").upper()
        if len(token) >= 6 and not token.startswith(("ORD-", "RMA-", "AP-", "TK-")):
            found.append(token)
    return tuple(dict.fromkeys(found))


def expand_teencode(words: list[str]) -> list[str]:
    """Replace teencode tokens (and two-token phrases) by their words."""
    out: list[str] = []
    index = 0
    while index < len(words):
        pair = " ".join(words[index : index + 2])
        if index + 1 < len(words) and pair in TEENCODE:
            out.extend(TEENCODE[pair].split())
            index += 2
            continue
        out.extend(TEENCODE.get(words[index], words[index]).split())
        index += 1
    return out


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Known folded words, bucketed by length, to correct misspellings quickly."""

    def __init__(self, words: set[str]) -> None:
        self.words = frozenset(w for w in words if w.isalpha())
        self.by_length: dict[int, list[str]] = {}
        for word in sorted(self.words):
            self.by_length.setdefault(len(word), []).append(word)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str:
        if word in self.words or len(word) < 4 or not word.isalpha() or looks_like_syllable(word):
            return word
        limit = 1 if len(word) < 8 else 2
        best, best_distance = word, limit + 1
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self.by_length.get(length, ()):
                distance = edit_distance(word, candidate, limit)
                if distance < best_distance or (distance == best_distance and candidate[0] == word[0] != best[0]):
                    best, best_distance = candidate, distance
        return best if best_distance <= limit else word


_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"(a|ai|ao|au|ay|e|eo|i|ia|iu|ieu|ie|o|oa|oai|oay|oe|oi|oo|u|ua|uai|uay|ue|ui|uo|uoi|uou|uu|uy|uya|uye|uyu|y|ye|yeu|"
    r"ua|uoi|uu|uong|ieu)"
    r"(ng|nh|ch|c|m|n|p|t)?$"
)


def looks_like_syllable(word: str) -> bool:
    """A folded word shaped like one Vietnamese syllable ('nhanh', 'giao', 'nguoi'): left as typed."""
    return bool(_SYLLABLE.match(word))


def detect_language(original: str, words: list[str], default: str = "vi") -> str:
    """'vi' when the text has Vietnamese letters or more Vietnamese than English hint words, else 'en'."""
    if _HAS_VIETNAMESE.search(original):
        return "vi"
    english = sum(1 for w in words if w in ENGLISH_HINTS)
    vietnamese = sum(1 for w in words if w in VIETNAMESE_HINTS)
    if english > vietnamese:
        return "en"
    if vietnamese > english:
        return "vi"
    return default


def read(text: str, vocabulary: Vocabulary | None = None, *, default_language: str = "vi") -> Reading:
    """Fold, expand, correct and pick out the codes of one message."""
    raw = (text or "").replace("\x00", " ")
    truncated = len(raw) > MAX_READ_CHARS
    raw = raw[:MAX_READ_CHARS]
    orders, returns, rest = _codes(raw)
    phones, rest = _phones(rest)
    serials = _serials(rest)
    folded = search_key(rest)
    tokens = _WORD.findall(folded)
    language = detect_language(raw, tokens, default_language)
    expanded = expand_teencode(tokens) if language == "vi" else _english_expand(tokens)
    corrected: list[tuple[str, str]] = []
    words: list[str] = []
    serial_keys = {search_key(s) for s in serials}
    for word in expanded:
        fixed = word
        if vocabulary is not None and word not in serial_keys:
            fixed = vocabulary.correct(word)
            if fixed != word:
                corrected.append((word, fixed))
        words.append(fixed)
    numbers = tuple(int(m.group(1)) for m in _SMALL_NUMBER.finditer(search_key(rest)))
    return Reading(
        original=raw,
        folded=" ".join(words),
        words=tuple(words),
        language=language,
        corrected=tuple(corrected),
        order_codes=orders,
        return_codes=returns,
        phones=phones,
        serials=serials,
        numbers=numbers,
        truncated=truncated,
    )


_ENGLISH_TEENCODE = {"u": "you", "ur": "your", "im": "i am", "pls": "please", "plz": "please", "thx": "thanks",
                     "ty": "thanks", "tks": "thanks", "thank": "thanks", "dont": "do not", "cant": "can not",
                     "wont": "will not", "hi": "hi", "pkg": "package", "appt": "appointment"}


def _english_expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        out.extend(_ENGLISH_TEENCODE.get(word, word).split())
    return out
