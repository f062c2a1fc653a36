# ruff: noqa: E501 - pattern tables read better one intent per block
"""What a message asks for: keyword and pattern scoring over the folded reading, with a confidence.

Each intent lists folded phrases with weights (Vietnamese without diacritics after folding, and English);
a phrase counts once when its words appear in order, next to each other. Codes in the message add
evidence (an order code → order status, a serial → warranty). The confidence is the best score squashed
to 0..1 and lowered when the runner-up is close; below `CONFIDENT` the bot says it is not sure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from haumai.bot.text import Reading

GREETING = "greeting"
ORDER_STATUS = "order_status"
RETURN_STATUS = "return_status"
START_RETURN = "start_return"
WARRANTY = "warranty_lookup"
BOOK_REPAIR = "book_repair"
CENTRE_HOURS = "centre_hours"
HOW_TO = "how_to"
HUMAN = "human"
THANKS = "thanks_bye"
UNKNOWN = "unknown"

INTENTS = (GREETING, ORDER_STATUS, RETURN_STATUS, START_RETURN, WARRANTY, BOOK_REPAIR, CENTRE_HOURS, HOW_TO, HUMAN,
           THANKS, UNKNOWN)
CONFIDENT = 0.5

# intent -> ((phrase, weight), ...); phrases are folded words.
PATTERNS: dict[str, tuple[tuple[str, float], ...]] = {
    GREETING: (
        ("xin chao", 2.0), ("chao shop", 2.0), ("chao ban", 2.0), ("chao em", 2.0), ("chao anh", 2.0), ("chao", 1.2),
        ("alo", 1.5), ("hello", 2.0), ("hi", 1.5), ("hey", 1.5), ("good morning", 2.0), ("good evening", 2.0),
        ("shop oi", 1.2), ("admin oi", 1.2), ("em oi", 0.8), ("co ai khong", 1.2), ("co ai o do khong", 1.5),
    ),
    ORDER_STATUS: (
        ("don hang", 1.0), ("don cua", 0.8), ("giao chua", 2.0), ("giao hang", 1.0), ("bao gio giao", 2.0),
        ("khi nao giao", 2.0), ("bao gio nhan", 1.6), ("khi nao nhan", 1.6), ("bao gio toi", 1.2),
        ("dang o dau", 1.6), ("toi dau roi", 1.8), ("den dau roi", 1.8), ("chua nhan duoc", 1.8),
        ("chua nhan", 1.4), ("chua thay giao", 2.0), ("van chuyen", 1.0), ("ma van don", 1.6), ("van don", 1.2),
        ("tinh trang don", 2.0), ("trang thai don", 2.0), ("kiem tra don", 2.0), ("tra cuu don", 2.0),
        ("theo doi don", 2.0), ("giao toi", 1.2), ("giao den", 1.2), ("giao cham", 1.6), ("lau qua", 0.8),
        ("chua giao", 2.0), ("nhan duoc hang", 1.6), ("sao roi", 0.8), ("dat hang", 0.6), ("ship", 0.8), ("don", 0.4), ("giao", 0.6), ("nhan hang", 1.0),
        ("my order", 2.0), ("order status", 2.5), ("where is my", 2.0), ("delivery", 1.4), ("delivered", 1.4),
        ("shipped", 1.4), ("tracking", 1.6), ("track", 1.4), ("package", 1.4), ("parcel", 1.4), ("arrive", 1.4),
        ("arrived", 1.4), ("has not arrived", 1.6), ("when will", 1.0), ("order", 0.8),
    ),
    RETURN_STATUS: (
        ("yeu cau doi tra", 1.6), ("yeu cau tra hang", 1.6), ("don doi tra", 1.6), ("tinh trang doi tra", 2.5),
        ("trang thai doi tra", 2.5), ("doi tra den dau", 2.5), ("hoan tien chua", 2.5), ("hoan tien den dau", 2.5),
        ("da hoan tien", 1.8), ("chua hoan tien", 2.5), ("chua nhan duoc tien", 2.5), ("chua duoc hoan", 2.5),
        ("bao gio hoan", 2.5), ("khi nao hoan", 2.5), ("tien hoan", 1.5), ("hang tra ve", 1.2), ("theo doi doi tra", 2.5),
        ("kiem tra doi tra", 2.5), ("tra cuu doi tra", 2.5), ("refund status", 2.5), ("my refund", 2.2),
        ("return status", 2.5), ("my return", 1.8), ("refund yet", 2.5), ("where is my refund", 2.5),
        ("not received my refund", 2.5), ("refund", 0.8), ("sao roi", 1.0),
        ("duoc hoan tien", 2.0), ("bao gio duoc hoan", 2.5), ("hoan tien", 1.0),
    ),
    START_RETURN: (
        ("muon doi tra", 2.5), ("muon tra hang", 2.5), ("muon tra lai", 2.5), ("muon doi hang", 2.5), ("doi size", 2.0),
        ("doi mau", 1.6), ("doi sang", 1.4), ("tra lai", 1.2), ("tra hang", 1.4), ("doi tra", 1.0), ("doi hang", 1.4),
        ("tao yeu cau doi tra", 2.5), ("lam doi tra", 2.0), ("gui tra", 1.6), ("hoan hang", 1.6), ("doi moi", 1.2),
        ("bi loi muon doi", 2.5), ("giao sai", 1.8), ("giao nham", 1.8), ("khong vua", 1.8), ("rong qua", 1.2),
        ("chat qua", 1.2), ("doi cai khac", 2.0), ("tra lai tien", 1.4), ("return this", 2.5), ("start a return", 3.0),
        ("want to return", 3.0), ("return an item", 3.0), ("return my", 2.0), ("exchange", 2.0), ("send it back", 2.5),
        ("send back", 2.2), ("wrong size", 2.2), ("wrong item", 2.2), ("doesnt fit", 2.2), ("return", 1.0),
    ),
    WARRANTY: (
        ("bao hanh", 1.6), ("con bao hanh", 2.5), ("het bao hanh", 2.2), ("han bao hanh", 2.5),
        ("tra cuu bao hanh", 2.8), ("kiem tra bao hanh", 2.8), ("thoi han bao hanh", 1.6), ("so serial", 2.0),
        ("serial", 1.6), ("imei", 2.0), ("so may", 1.2), ("bao hanh den", 2.0), ("bao hanh toi", 1.6),
        ("warranty", 2.0), ("under warranty", 2.5), ("warranty status", 2.8), ("check warranty", 2.8),
        ("still covered", 2.5), ("serial number", 2.2), ("warranty expire", 2.5),
    ),
    BOOK_REPAIR: (
        ("dat lich", 2.2), ("hen lich", 2.2), ("lich hen", 2.0), ("dat hen", 2.2), ("sua chua", 1.6), ("sua may", 2.0),
        ("mang may", 1.8), ("mang den sua", 2.5), ("dem may", 1.6), ("ve sinh may", 0.8), ("bao duong", 1.2),
        ("bi hong", 1.6), ("hu roi", 1.4), ("bi hu", 1.6), ("khong len nguon", 1.8), ("khong chay", 1.4),
        ("khong hoat dong", 1.4), ("khong vat", 1.2), ("khong lanh", 1.4), ("bi loi", 1.0), ("can sua", 2.2),
        ("muon sua", 2.2), ("ky thuat vien", 1.6), ("lich sua", 2.2), ("sua", 0.8), ("hong", 0.6),
        ("book a repair", 3.0), ("book an appointment", 3.0), ("appointment", 2.2), ("repair", 2.0), ("fix", 1.4),
        ("broken", 1.6), ("not working", 1.6), ("does not turn on", 1.8), ("service appointment", 3.0),
        ("book", 1.0), ("schedule", 1.4),
    ),
    CENTRE_HOURS: (
        ("gio mo cua", 2.8), ("mo cua", 2.0), ("dong cua", 2.0), ("may gio", 1.0), ("lam viec", 1.2),
        ("gio lam viec", 2.5), ("dia chi", 2.0), ("cua hang", 1.2), ("trung tam bao hanh", 2.0),
        ("trung tam", 1.4), ("chi nhanh", 2.0), ("o dau", 0.8), ("nam o dau", 2.0), ("co mo cua", 2.5),
        ("chu nhat", 1.0), ("thu bay", 1.0), ("ngay le", 0.8), ("tet", 0.6), ("gan nhat", 1.6), ("so dien thoai", 0.8),
        ("hotline", 1.2), ("opening hours", 3.0), ("open", 1.6), ("close", 1.4), ("closing", 1.6), ("address", 2.2),
        ("store", 1.4), ("stores", 1.4), ("service centre", 2.2), ("service center", 2.2), ("location", 1.8),
        ("near me", 1.6), ("hours", 1.6), ("sunday", 1.0), ("saturday", 1.0),
    ),
    HOW_TO: (
        ("huong dan", 2.0), ("cach", 1.4), ("lam sao", 1.6), ("lam the nao", 1.8), ("nhu the nao", 1.4), ("the nao", 1.0),
        ("co duoc khong", 1.0), ("bao lau", 0.8), ("co mat phi", 1.6), ("mat phi", 1.2), ("phi", 0.8),
        ("chinh sach", 1.8), ("quy dinh", 1.4), ("dieu kien", 1.2), ("su dung", 1.4), ("ve sinh", 1.4), ("cai dat", 1.4),
        ("tra gop", 1.6), ("thanh toan", 1.4), ("hoa don", 1.4), ("vat", 1.2), ("kich hoat", 1.4), ("gia han", 1.4),
        ("nhiet do", 1.4), ("tiet kiem dien", 1.6), ("sac", 1.0), ("pin", 1.0), ("chon size", 1.6), ("bao quan", 1.4),
        ("how to", 2.5), ("how do i", 2.5), ("how can i", 2.2), ("how long", 1.6), ("policy", 2.0), ("guide", 2.0),
        ("instructions", 2.0), ("clean", 1.4), ("install", 1.4), ("pay", 1.2), ("payment", 1.4), ("installment", 1.6),
        ("invoice", 1.6), ("activate", 1.4), ("fee", 1.2), ("cost", 1.0), ("free", 0.8), ("can i", 0.8),
        ("mat phieu", 2.0), ("roi vo", 1.4), ("kiem tra hang", 1.6), ("cuoi tuan", 1.2), ("doi dia chi", 1.8),
        ("mo hop", 1.4), ("phi van chuyen", 1.6), ("phi ship", 1.6), ("gia han bao hanh", 2.0), ("fees", 1.4),
        ("delivery fee", 2.0),
    ),
    HUMAN: (
        ("gap nhan vien", 4.0), ("nhan vien", 2.0), ("nguoi that", 4.0), ("noi chuyen voi nguoi", 4.0),
        ("tu van vien", 3.0), ("gap tu van", 3.0), ("goi cho toi", 2.5), ("goi lai", 2.2), ("chuyen nhan vien", 4.0),
        ("gap nguoi", 3.5), ("nguoi tra loi", 3.0), ("tong dai vien", 3.0), ("cham soc khach hang", 1.6),
        ("khong muon noi chuyen voi bot", 4.0), ("bot", 1.0), ("may tra loi", 2.0), ("gap quan ly", 4.0),
        ("human", 4.0), ("real person", 4.0), ("talk to a person", 4.0), ("talk to someone", 4.0), ("agent", 3.0),
        ("speak to", 2.5), ("talk to", 2.0), ("call me", 2.5), ("representative", 3.5), ("operator", 3.0),
    ),
    THANKS: (
        ("cam on", 3.0), ("thanks", 3.0), ("thank you", 3.0), ("tam biet", 3.0), ("bye", 3.0), ("goodbye", 3.0),
        ("ok roi", 1.5), ("duoc roi", 1.6), ("vay thoi", 1.4), ("het roi", 1.2), ("xong roi", 1.4), ("thoi", 0.4),
        ("great", 1.0), ("perfect", 1.2), ("that is all", 2.0), ("ok", 0.8), ("oki", 0.8), ("vang", 0.6), ("da", 0.2),
    ),
}

# Phrases that push an intent down (a question about a policy is not a task).
PENALTIES: dict[str, tuple[tuple[str, float], ...]] = {
    START_RETURN: (("chinh sach", 1.6), ("bao lau", 1.0), ("ai tra phi", 2.0), ("phi", 0.8), ("policy", 1.6),
                   ("how long", 1.0), ("co duoc", 0.6), ("nhu the nao", 0.6), ("ra sao", 0.6), ("theo doi", 1.5),
                   ("o dau", 0.8), ("mo hop", 1.0)),
    WARRANTY: (("chinh sach", 1.2), ("co mat phi", 1.6), ("mat phi", 1.2), ("bao lau", 1.2), ("kich hoat", 1.6),
               ("mat phieu", 2.0), ("gia han", 3.0), ("roi vo", 1.6), ("policy", 1.2)),
    ORDER_STATUS: (("phi", 0.6), ("cuoi tuan", 1.2), ("kiem tra hang", 1.8), ("doi dia chi", 1.6), ("thoi gian giao", 1.6),
                   ("bao nhieu ngay", 1.0), ("mat bao lau", 1.2), ("how long", 1.2), ("fee", 1.0), ("hoan tien", 1.2),
                   ("refund", 1.5), ("doi tra", 1.2), ("return", 1.0), ("tien hoan", 2.0),
                   ("fees", 1.5)),
    RETURN_STATUS: (("mat bao lau", 2.0), ("bao lau", 1.0), ("chinh sach", 1.5), ("how long", 1.5), ("policy", 1.5)),
    BOOK_REPAIR: (("chinh sach", 1.0), ("bao lau", 0.8), ("gio mo cua", 1.5), ("dia chi", 1.2), ("cach ve sinh", 1.6),
                  ("huong dan", 1.2)),
    CENTRE_HOURS: (("giao", 0.8), ("don hang", 1.0), ("dang o dau", 1.2)),
    THANKS: (("khong", 0.8), ("chua", 0.6), ("nhung", 0.8), ("but", 0.8)),
    GREETING: (),
}


@dataclass(frozen=True)
class Guess:
    """The intent found, its confidence (0..1) and every intent's raw score."""

    intent: str
    confidence: float
    scores: tuple[tuple[str, float], ...]

    @property
    def confident(self) -> bool:
        return self.intent != UNKNOWN and self.confidence >= CONFIDENT


@cache
def _phrase(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^| ){re.escape(phrase)}(?: |$)")


def _score(folded: str, phrases: tuple[tuple[str, float], ...]) -> float:
    return sum(weight for phrase, weight in phrases if _phrase(phrase).search(folded))


def vocabulary_words() -> set[str]:
    """Every word the patterns use (the spelling corrector's base vocabulary)."""
    words: set[str] = set()
    for table in (PATTERNS, PENALTIES):
        for phrases in table.values():
            for phrase, _weight in phrases:
                words.update(phrase.split())
    return words


def classify(reading: Reading) -> Guess:
    """Score every intent on the reading; the best one with a confidence, or unknown."""
    folded = reading.folded
    scores: dict[str, float] = {}
    for intent, phrases in PATTERNS.items():
        score = _score(folded, phrases) - _score(folded, PENALTIES.get(intent, ()))
        scores[intent] = max(score, 0.0)
    if reading.order_codes:
        scores[ORDER_STATUS] += 2.0
    if reading.return_codes:
        scores[RETURN_STATUS] += 3.0
    if reading.serials and not reading.order_codes:
        scores[WARRANTY] += 1.5
    # A greeting or thanks with a real question after it is about the question.
    tasks = max(scores[i] for i in INTENTS[1:8] if i in scores)
    if tasks >= 1.5:
        scores[GREETING] *= 0.3
        if scores[THANKS] < 3.0 or tasks >= 2.0:
            scores[THANKS] *= 0.3
    ranked = sorted(scores.items(), key=lambda item: (-item[1], INTENTS.index(item[0])))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < 1.0:
        return Guess(UNKNOWN, 0.0, tuple(ranked))
    strength = top / (top + 1.0)
    margin = (top - second) / top
    confidence = round(strength * (0.5 + 0.5 * margin), 3)
    return Guess(best, confidence, tuple(ranked))
