"""Finding the help article that answers a question (BM25 over published articles, words and word pairs).

The knowledge app's `search_articles` needs every query word to match (a help-center search box); a
customer's sentence has many words no article has ("cho em hỏi", "với ạ"). The bot ranks the published
articles (read through `haumai.knowledge.selectors.published`) with BM25 over their folded title
(weighted), summary and body, on single words and on pairs of neighbouring words, so "máy giặt" counts
more than "máy" and "giặt" apart. The index is built in memory once and rebuilt when the published set
changes (one aggregate query per question tells). An answer needs a pair match or a title word of weight:
below `MIN_SCORE` the bot says it does not know.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db.models import Count, Max

from haumai.core.text import search_key
from haumai.knowledge import selectors as knowledge


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no topic (question scaffolding, pronouns, particles) in both languages.
STOPWORDS = _words(
    "toi minh em anh chi ban shop ad admin oi a ah nhe nha nhi ha ak vay the thi la co khong ko gi sao nao "
    "duoc cho hoi xin vui long giup voi ve cua va hay hoac neu khi nay do kia mot cac nhung de o tai trong "
    "ra len xuong roi chua da dang se bi can muon biet lam nhu the nao bao nhieu lau cach huong dan "
    "duoc khong nhe a oi vay a minh co the thi sao the nao ai dau "
    "the a an is are do does did how i my me you your to of and or for in on at it this that what when where "
    "can could should would please tell know about with be have has get there which why long take takes"
)
MIN_SCORE = 3.0
MIN_COVERAGE = 0.6
TITLE_WEIGHT = 3.0
SUMMARY_WEIGHT = 2.0
K1, B = 1.2, 0.75
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Document:
    article_id: int
    slug: str
    title: str
    summary: str
    language: str
    length: float
    terms: dict[str, float]
    kind: str = "article"


@dataclass(frozen=True)
class Hit:
    article_id: int
    slug: str
    title: str
    summary: str
    language: str
    score: float
    coverage: float = 0.0  # share of the question's words (by weight) that the article has
    kind: str = "article"  # the knowledge ArticleKind ("diagnose": a troubleshooting tree the bot walks)


def terms_of(text: str) -> list[str]:
    """Folded words (stopwords out) and neighbouring pairs as typed ('may_giat'; not two stopwords)."""
    everything = _WORD.findall(search_key(text))
    words = [w for w in everything if w not in STOPWORDS]
    pairs = [f"{a}_{b}" for a, b in pairwise(everything)
             if not (a in STOPWORDS and b in STOPWORDS)]
    return words + pairs


class Index:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.average = sum(d.length for d in documents) / len(documents) if documents else 1.0
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update(document.terms.keys())
        total = len(documents)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self.postings: dict[str, list[Document]] = {}
        for document in documents:
            for term in document.terms:
                self.postings.setdefault(term, []).append(document)
        self.vocabulary = {t for t in frequency if "_" not in t}

    def search(self, query: str, *, language: str, limit: int = 3) -> list[Hit]:
        terms = list(dict.fromkeys(terms_of(query)))
        scores: dict[int, float] = {}
        by_id: dict[int, Document] = {}
        for term in terms:
            idf = self.idf.get(term)
            if idf is None:
                continue
            weight = 1.6 if "_" in term else 1.0
            for document in self.postings[term]:
                tf = document.terms[term]
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * document.length / self.average))
                bonus = 0.15 if document.language == language else 0.0
                scores[document.article_id] = scores.get(document.article_id, 0.0) + weight * idf * norm + bonus
                by_id[document.article_id] = document
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        words = [t for t in terms if "_" not in t]
        unknown = max(self.idf.values(), default=1.0)
        total = sum(self.idf.get(w, unknown) for w in words) or 1.0
        return [
            Hit(d.article_id, d.slug, d.title, d.summary, d.language, round(score, 3),
                round(sum(self.idf[w] for w in words if w in d.terms) / total, 3), d.kind)
            for article_id, score in ranked
            for d in (by_id[article_id],)
        ]


def _document(row: Any) -> Document:
    counts: dict[str, float] = {}
    title, summary = str(row["title"]), str(row["summary"])
    for term in terms_of(title):
        counts[term] = counts.get(term, 0.0) + TITLE_WEIGHT
    for term in terms_of(summary):
        counts[term] = counts.get(term, 0.0) + SUMMARY_WEIGHT
    for term in terms_of(str(row["body_text"])[:4000]):
        counts[term] = counts.get(term, 0.0) + 1.0
    return Document(
        article_id=int(str(row["id"])), slug=str(row["slug"]), title=title, summary=summary,
        language=str(row["language"]), length=float(sum(counts.values())) or 1.0, terms=dict(counts),
        kind=str(row["kind"]),
    )  # fmt: skip


_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Index] | None = None


def _signature() -> tuple[object, ...]:
    found = knowledge.published().aggregate(count=Count("id"), changed=Max("updated_at"), last=Max("id"))
    return (found["count"], found["changed"], found["last"])


def index() -> Index:
    """The index of the published articles (rebuilt when they changed)."""
    global _cached
    signature = _signature()
    cached = _cached
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        rows = knowledge.published().values("id", "slug", "title", "summary", "body_text", "language", "kind")
        built = Index([_document(row) for row in rows.iterator(chunk_size=500)])
        _cached = (signature, built)
        return built


def find_articles(query: str, *, language: str = "vi", limit: int = 3) -> list[Hit]:
    """The best published articles for a question, best first (maybe empty)."""
    return index().search(query, language=language, limit=limit)


def confident(hits: Iterable[Hit]) -> bool:
    """True when the best hit is strong enough to answer with."""
    first = next(iter(hits), None)
    return first is not None and first.score >= MIN_SCORE and first.coverage >= MIN_COVERAGE
