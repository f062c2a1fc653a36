"""What a call is grounded in, read through the owning apps' selectors: a ticket's conversation, the help
articles that match it, and the ticket customer's own orders, returns and warranties (never anyone else's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from haumai.bot import retrieval
from haumai.knowledge import search as knowledge_search
from haumai.knowledge import selectors as knowledge
from haumai.returns import selectors as returns
from haumai.sales import selectors as sales
from haumai.support import selectors as support
from haumai.warranty import selectors as warranty

ARTICLES_USED = 3
ARTICLE_CHARS = 1500
MESSAGES_USED = 12
MESSAGE_CHARS = 800
RECORDS_USED = 5
VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơư"
    r"áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]",
    re.I,
)
ENGLISH_WORDS = frozenset(
    ["the", "is", "are", "my", "i", "you", "please", "how", "what", "when", "can", "order", "thanks", "hello", "hi"]
)


@dataclass(frozen=True)
class Source:
    """A help article given to the model, numbered as the model cites it."""

    number: int
    article_id: int
    slug: str
    title: str
    url: str
    text: str


def language_of(text: str, default: str = "vi") -> str:
    """vi when the text has Vietnamese letters, en when it reads as English, else the default."""
    if VIETNAMESE_LETTERS.search(text):
        return "vi"
    words = set(re.findall(r"[a-z]+", text.lower()))
    return "en" if len(words & ENGLISH_WORDS) >= 2 else default


def public_messages(ticket: Any) -> list[Any]:
    """The ticket's public messages, oldest first (internal notes are the team's, not the customer's)."""
    return [m for m in support.conversation(ticket) if m.visibility == "public"]


def last_inbound(messages: list[Any]) -> Any | None:
    """The customer's latest message."""
    return next((m for m in reversed(messages) if m.direction == "in"), None)


def transcript(messages: list[Any], *, limit: int = MESSAGES_USED) -> str:
    """The latest messages as 'Customer:/Agent:' lines, each cut to MESSAGE_CHARS."""
    lines = []
    for message in messages[-limit:]:
        who = "Customer" if message.direction == "in" else "Agent"
        text = " ".join((message.body_text or "").split())[:MESSAGE_CHARS]
        lines.append(f"{who} ({message.sent_at:%d/%m %H:%M}): {text}")
    return "\n".join(lines)


def articles_for(question: str, *, language: str, limit: int = ARTICLES_USED) -> list[Source]:
    """Published articles for a question: the knowledge search (all words), then sentence ranking."""
    found: dict[int, tuple[str, str, str]] = {}
    for hit in knowledge_search.search_articles(query=question[:200], language="", limit=limit):
        found.setdefault(hit.article.pk, (hit.article.slug, hit.article.title, hit.article.summary))
    for ranked in retrieval.find_articles(question[:600], language=language, limit=limit):
        if ranked.score >= retrieval.MIN_SCORE:
            found.setdefault(ranked.article_id, (ranked.slug, ranked.title, ranked.summary))
    return sources_of(list(found)[:limit])


def sources_of(article_ids: list[int]) -> list[Source]:
    """The given published articles (in that order) with their text cut for the prompt."""
    rows = {a.pk: a for a in knowledge.published().filter(pk__in=article_ids)}
    sources: list[Source] = []
    for article_id in article_ids:
        article = rows.get(article_id)
        if article is None:  # unpublished or deleted since it was found
            continue
        text = (article.summary + "\n" + article.body_text).strip()[:ARTICLE_CHARS]
        sources.append(
            Source(
                number=len(sources) + 1,
                article_id=article.pk,
                slug=article.slug,
                title=article.title,
                url=knowledge.help_url(article),
                text=text,
            )
        )
    return sources


def customer_records(customer: Any) -> str:
    """The customer's newest orders, returns and warranties as short lines (their own data only)."""
    lines: list[str] = []
    for order in sales.order_list(customer_code=customer.code, limit=RECORDS_USED)[:RECORDS_USED]:
        placed = f"{order.placed_at:%d/%m/%Y}" if order.placed_at else ""
        delivered = f", delivered {order.delivered_at:%d/%m/%Y}" if order.delivered_at else ""
        lines.append(f"Order {order.code} placed {placed}: {order.get_status_display()}{delivered}")
    for row in list(returns.my_returns(customer)[:RECORDS_USED]):
        lines.append(f"Return {row.code}: {row.get_status_display()}")
    for item in warranty.customer_warranties(customer, limit=RECORDS_USED):
        answer = warranty.answer(item)
        lines.append(f"Warranty {answer.product} serial {answer.serial}: {answer.sentence}")
    return "\n".join(lines) or "No orders, returns or warranties."


def customer_addresses(customer: Any) -> list[str]:
    """The customer's address lines (for masking)."""
    return [a.street for a in customer.addresses.all()[:10]]
