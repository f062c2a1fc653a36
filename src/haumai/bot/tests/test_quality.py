"""Quality on the labelled questions (labelled.tsv): intent accuracy and how-to answer top-1 / top-3.

The thresholds are below what was measured when the set was written (intent 0.989, top-1 0.984, top-3 0.984
on 184 questions, 62 of them how-to; see the README); a change that makes the bot understand less fails here.
The retrieval thresholds were chosen on this same set, so these are not held-out figures.
"""

from __future__ import annotations

from collections import Counter

import pytest

from haumai.bot import intents, retrieval, services
from haumai.bot.tests.helpers import labelled

pytestmark = pytest.mark.django_db


def predict(text: str) -> tuple[str, list[str]]:
    """The intent the bot acts on and the articles it would link (as dialog.decide does)."""
    reading, guess = services.understand(text)
    hits = retrieval.find_articles(reading.folded, language=reading.language, limit=3)
    if guess.confident and guess.intent != intents.HOW_TO:
        return guess.intent, [h.slug for h in hits]
    if retrieval.confident(hits):
        return intents.HOW_TO, [h.slug for h in hits]
    return intents.UNKNOWN, []


def test_the_labelled_set_is_big_and_varied() -> None:
    rows = labelled()
    assert len(rows) >= 150
    assert set(Counter(r.intent for r in rows)) == set(intents.INTENTS)
    assert sum(1 for r in rows if r.intent == intents.HOW_TO) >= 50
    assert sum(1 for r in rows if any(ord(ch) > 127 for ch in r.text)) >= 40  # with diacritics
    assert sum(1 for r in rows if r.text.isascii()) >= 80  # without diacritics, teencode and English


def test_intent_accuracy_and_answer_ranking(help_articles: int) -> None:
    rows = labelled()
    right = top1 = top3 = how_to = 0
    misses = []
    for row in rows:
        intent, slugs = predict(row.text)
        right += intent == row.intent
        if intent != row.intent:
            misses.append((row.text, row.intent, intent))
        if row.slugs:
            how_to += 1
            top1 += bool(slugs) and slugs[0] in row.slugs
            top3 += bool(set(slugs[:3]) & set(row.slugs))
    accuracy, first, three = right / len(rows), top1 / how_to, top3 / how_to
    print(f"\nlabelled: {len(rows)} questions, {how_to} how-to; intent accuracy {accuracy:.3f}; "
          f"answer top-1 {first:.3f}, top-3 {three:.3f}; misses: {misses}")
    assert accuracy >= 0.95
    assert first >= 0.93
    assert three >= 0.95


def test_off_topic_questions_are_not_answered_with_an_article(help_articles: int) -> None:
    for text in ("mua vé máy bay ở đâu", "bạn có người yêu chưa", "who won the football match", "asdfgh qwerty"):
        assert predict(text)[0] == intents.UNKNOWN, text
