"""Article search (a read-only selector): diacritics ignored, typos tolerated, ranked, highlighted.

One API on both databases, `search_articles(...) -> list[ArticleHit]`, best first with a score (higher is
better; comparable within one answer, not across backends). Texts are folded in Python with
`haumai.core.text.search_key` and stored folded (`title_key`, `search_text`), so both backends see the same
words. Two tiers: every query word as a prefix (exact words); when that finds nothing, a typo tier.

- PostgreSQL: stored `search_vector @@ to_tsquery('w1:* & w2:*')` (generated tsvector columns with GIN
  indexes, migration 0005), ranked by ts_rank_cd of the stored title vector plus trigram similarity of the
  title; all title matches are ranked, and of the body-only matches the BODY_CANDIDATES newest; typo
  tier: pg_trgm `word_similarity` (`<%`, GIN trigram index) of the whole query against the title
  (threshold 0.6 by default).
- SQLite: FTS5 (`knowledge_article_fts`, bm25 with the title weighted 8x); typo tier: each query word not in
  the index vocabulary (fts5vocab) is replaced by its closest indexed words with the same first letter
  (difflib ratio >= 0.75), then the AND query runs again.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from haumai.core.text import search_key
from haumai.knowledge.models import Article, ArticleStatus

MAX_WORDS = 10
BODY_CANDIDATES = 200  # body-only matches ranked per query on PostgreSQL (the newest)
MAX_LIMIT = 100
SNIPPET_CHARS = 180
SNIPPET_SCAN = 4000  # characters of an article a snippet is looked for in
_WORD = re.compile(r"[a-z0-9]+")
_STROKES = str.maketrans({"đ": "d", "Đ": "d"})


@dataclass(frozen=True)
class ArticleHit:
    """One found article with its rank, highlighted title and snippet (safe HTML), and how it matched."""

    article: Article
    score: float
    title_html: SafeString
    snippet_html: SafeString
    typo: bool  # found by the typo tier, not by the exact words


def query_words(query: str) -> list[str]:
    """The folded words of a query (at most MAX_WORDS, no duplicates)."""
    words: list[str] = []
    for word in _WORD.findall(search_key(query)[:200]):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_articles(
    *,
    query: str,
    language: str = "",
    statuses: Sequence[str] = (ArticleStatus.PUBLISHED,),
    category_id: int | None = None,
    limit: int = 10,
    offset: int = 0,
    allow_typos: bool = True,
) -> list[ArticleHit]:
    """Articles matching the query, best first; `language` '' means any, `statuses` which workflow states.

    One query when the exact words match; the typo tier (only when they do not, and `allow_typos`) adds one
    (PostgreSQL) or a few vocabulary look-ups (SQLite)."""
    words = query_words(query)
    if not words or not statuses:
        return []
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    where = _filters(language=language, statuses=statuses, category_id=category_id)
    if connection.vendor == "postgresql":
        ranked, typo = _postgresql(words, where, limit, offset, allow_typos)
        terms = words
    else:
        ranked, typo, terms = _sqlite(words, where, limit, offset, allow_typos)
    hits = []
    for article, score in ranked:
        hits.append(
            ArticleHit(
                article=article,
                score=round(float(score), 4),
                title_html=highlight(article.title, terms, fuzzy=typo),
                snippet_html=snippet(article.summary + "\n" + article.body_text, terms, fuzzy=typo),
                typo=typo,
            )
        )
    return hits


@dataclass(frozen=True)
class _Where:
    sql: str
    params: list[object]


def _filters(*, language: str, statuses: Sequence[str], category_id: int | None) -> _Where:
    marks = ", ".join(["%s"] * len(statuses))
    sql = f"a.status IN ({marks})"
    params: list[object] = list(statuses)
    if language:
        sql += " AND a.language = %s"
        params.append(language)
    if category_id is not None:
        sql += " AND a.category_id = %s"
        params.append(category_id)
    return _Where(sql, params)


# The model's own columns: on PostgreSQL the table also holds generated tsvector columns nobody should fetch.
_COLUMNS = ", ".join(f"a.{field.column}" for field in Article._meta.concrete_fields)


def _rows(sql: str, params: Iterable[Any]) -> list[tuple[Article, float]]:
    """Articles with their score from one raw query (its first columns are `a.*` and `score`)."""
    return [(row, float(getattr(row, "score", 0.0))) for row in Article.objects.raw(sql, list(params))]


def _postgresql(
    words: list[str], where: _Where, limit: int, offset: int, allow_typos: bool
) -> tuple[list[tuple[Article, float]], bool]:
    phrase = " ".join(words)
    prefix_query = " & ".join(f"{word}:*" for word in words)
    exact = _rows(
        # Stored vectors (migration 0005). Every title match is ranked; of the articles that match only in
        # their body, the BODY_CANDIDATES newest are (a common word matches most of the base: ranking all of
        # them cost ~0.5 s at 10k articles). Scores are those of the earlier full ranking: title rank plus
        # twice the title's trigram similarity to the query.
        f"WITH q AS (SELECT to_tsquery('simple'::regconfig, unaccent(%s)) AS q), "  # noqa: S608 - placeholders
        "hits AS ("
        f" SELECT a.id, ts_rank_cd(a.title_vector, q.q) AS rank FROM knowledge_article a, q"
        f" WHERE a.title_vector @@ q.q AND {where.sql}"
        " UNION ALL"
        " (SELECT a.id, 0.0 AS rank FROM knowledge_article a, q"
        f"  WHERE a.search_vector @@ q.q AND NOT (a.title_vector @@ q.q) AND {where.sql}"
        "  ORDER BY a.id DESC LIMIT %s)"
        ") "
        f"SELECT {_COLUMNS}, hits.rank + 2 * similarity(a.title_key, %s) AS score "
        "FROM hits JOIN knowledge_article a ON a.id = hits.id "
        "ORDER BY score DESC, a.id DESC LIMIT %s OFFSET %s",
        [prefix_query, *where.params, *where.params, BODY_CANDIDATES, phrase, limit, offset],
    )
    if exact or offset or not allow_typos:
        return exact, False
    typo = _rows(
        # Titles only: trigram similarity against whole bodies costs seconds at 10k articles.
        f"SELECT {_COLUMNS}, word_similarity(%s, a.title_key) AS score "  # noqa: S608 - placeholders
        "FROM knowledge_article a "
        f"WHERE %s <%% a.title_key AND {where.sql} "
        "ORDER BY score DESC, a.id DESC LIMIT %s",
        [phrase, phrase, *where.params, limit],
    )
    return typo, True


FTS = "knowledge_article_fts"


def _match_expression(groups: list[list[str]]) -> str:
    # Words are [a-z0-9]+ only, so quoting cannot break out of the FTS5 syntax.
    parts = []
    for group in groups:
        alternatives = " OR ".join(f'"{word}"*' for word in group)
        parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
    return " AND ".join(parts)


def _fts(expression: str, terms: list[str], where: _Where, limit: int, offset: int) -> list[tuple[Article, float]]:
    # bm25 alone is near zero when few articles exist (low IDF); the share of query words found in the title
    # keeps the score meaningful (0..1 plus bm25) for callers that threshold it, like a bot.
    title = " + ".join(["(instr(a.title_key, %s) > 0)"] * len(terms))
    return _rows(
        f"SELECT a.*, -bm25({FTS}, 8.0, 1.0) + ({title}) * 1.0 / %s AS score "  # noqa: S608 - placeholders
        f"FROM {FTS} JOIN knowledge_article a ON a.id = {FTS}.rowid "
        f"WHERE {FTS} MATCH %s AND {where.sql} ORDER BY score DESC, a.id DESC LIMIT %s OFFSET %s",
        [*terms, len(terms), expression, *where.params, limit, offset],
    )


def _close_words(word: str) -> list[str]:
    """Indexed words that look like a misspelt word (same first letter, similar length and letters)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {FTS}_vocab WHERE term >= %s AND term < %s "  # noqa: S608 - constant names
            "AND length(term) BETWEEN %s AND %s "
            "ORDER BY doc DESC LIMIT 5000",
            [word[0], chr(ord(word[0]) + 1), max(1, len(word) - 2), len(word) + 2],
        )
        terms = [row[0] for row in cursor.fetchall()]
    return difflib.get_close_matches(word, terms, n=3, cutoff=0.75)


def _known(word: str) -> bool:
    with connection.cursor() as cursor:
        sql = f"SELECT 1 FROM {FTS}_vocab WHERE term >= %s AND term < %s LIMIT 1"  # noqa: S608 - constant names
        cursor.execute(sql, [word, word + "\uffff"])
        return cursor.fetchone() is not None


def _sqlite(
    words: list[str], where: _Where, limit: int, offset: int, allow_typos: bool
) -> tuple[list[tuple[Article, float]], bool, list[str]]:
    exact = _fts(_match_expression([[word] for word in words]), words, where, limit, offset)
    if exact or offset or not allow_typos:
        return exact, False, words
    groups: list[list[str]] = []
    changed = False
    for word in words:
        if len(word) >= 3 and not _known(word):
            close = _close_words(word)
            if close:
                groups.append(close)
                changed = True
                continue
        groups.append([word])
    if not changed:
        return [], False, words
    terms = [term for group in groups for term in group]
    return _fts(_match_expression(groups), terms, where, limit, 0), True, terms


# --- highlighting (both backends) ---------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # Cached: a text has few distinct characters, and highlighting folds every one of them.
    decomposed = unicodedata.normalize("NFD", char.translate(_STROKES))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


@functools.lru_cache(maxsize=8192)
def _looks_like(word: str, term: str) -> bool:
    return difflib.SequenceMatcher(None, word, term).ratio() >= 0.75


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the original character it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def _spans(text: str, terms: Sequence[str], fuzzy: bool) -> list[tuple[int, int]]:
    """Original-text spans of the words that start with a term (or, when fuzzy, look like one)."""
    folded, positions = _folded_with_positions(text)
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(folded):
        word = match.group()
        hit = any(word.startswith(term) for term in terms) or (
            fuzzy and len(word) >= 3 and any(_looks_like(word, term) for term in terms)
        )
        if hit:
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, cursor = [], start
    for left, right in spans:
        if right <= start or left >= end:
            continue
        left, right = max(left, start), min(right, end)
        out.append(html.escape(text[cursor:left]))
        out.append(f"<mark>{html.escape(text[left:right])}</mark>")
        cursor = right
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, terms: Sequence[str], *, fuzzy: bool = False) -> SafeString:
    """The whole text, escaped, with matching words in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    return mark_safe(_marked(text, _spans(text, terms, fuzzy)))  # noqa: S308 - escaped by _marked


def snippet(text: str, terms: Sequence[str], *, fuzzy: bool = False, size: int = SNIPPET_CHARS) -> SafeString:
    """About `size` characters around the first matching word, escaped, with matches in <mark>.

    Only the first SNIPPET_SCAN characters are looked at: a match further down a long article still finds
    the article, its snippet then shows the beginning."""
    text = " ".join(unicodedata.normalize("NFC", (text or "")[:SNIPPET_SCAN]).split())
    spans = _spans(text, terms, fuzzy)
    start = 0
    if spans:
        start = max(0, spans[0][0] - size // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + size)
    while end < len(text) and not text[end].isspace() and end - start < size + 20:
        end += 1
    body = _marked(text, spans, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 - escaped by _marked
