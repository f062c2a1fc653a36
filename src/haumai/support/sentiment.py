"""A cheap sentiment flag: Vietnamese and English words of an angry or upset customer, with or without diacritics.

Words are compared after folding (`search_key`: lowercase, no diacritics), so "thất vọng", "that vong" and
"THAT VONG" all match; a phrase matches on word boundaries so "lua" inside "lựa chọn" does not.
"""

from __future__ import annotations

import re
from functools import cache

from haumai.core.text import search_key

NEGATIVE_PHRASES_VI = (
    "thất vọng",
    "bực mình",
    "bức xúc",
    "tức giận",
    "quá tệ",
    "tệ hại",
    "rất tệ",
    "lừa đảo",
    "lừa dối",
    "không chấp nhận",
    "khiếu nại",
    "phàn nàn",
    "kém chất lượng",
    "vô trách nhiệm",
    "chán quá",
    "hoàn tiền ngay",
    "tẩy chay",
    "báo công an",
    "đền bù",
    "hàng giả",
    "hỏng rồi",
    "không hài lòng",
    "quá chậm",
    "chờ mãi",
    "không ai trả lời",
    "bóc phốt",
)
NEGATIVE_PHRASES_EN = (
    "angry",
    "furious",
    "terrible",
    "awful",
    "worst",
    "disappointed",
    "unacceptable",
    "scam",
    "fraud",
    "complaint",
    "refund now",
    "ridiculous",
    "useless",
    "never again",
    "lawyer",
    "sue",
    "horrible",
    "no one answers",
    "still waiting",
    "fed up",
)


@cache
def _pattern() -> re.Pattern[str]:
    phrases = sorted({search_key(p) for p in (*NEGATIVE_PHRASES_VI, *NEGATIVE_PHRASES_EN)}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")


def negative_words(text: str) -> list[str]:
    """The negative phrases found in a text (folded), in order of appearance."""
    return _pattern().findall(search_key(text))


def is_negative(text: str) -> bool:
    """Whether a message reads like an upset customer (one phrase of the lists is enough)."""
    return bool(negative_words(text))
