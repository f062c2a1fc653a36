"""Test and benchmark helpers: the demo help-center content published, the labelled questions."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haumai.knowledge import services
from haumai.knowledge.demo_content import ARTICLES, CATEGORY_GUIDES, FAQ, PRODUCT_GUIDES, TRANSLATIONS, TROUBLESHOOTING
from haumai.knowledge.models import Article, ArticleKind
from haumai.knowledge.services import troubleshooting

LABELLED = Path(__file__).with_name("labelled.tsv")


@dataclass(frozen=True)
class Labelled:
    text: str
    intent: str
    slugs: tuple[str, ...]


def labelled() -> list[Labelled]:
    """The labelled questions (text, expected intent, acceptable article slugs for how-to ones)."""
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, intent, slugs = [*line.split("\t"), "", ""][:3]
        rows.append(Labelled(text, intent, tuple(s for s in slugs.split("|") if s)))
    return rows


def _body(items: list[str]) -> str:
    return "".join(f"<p>{html.escape(item)}</p>" for item in items)


def publish_demo_articles(manager: Any) -> int:
    """Publish the demo knowledge content (policies, FAQ, guides, English translations), no catalog links."""
    published: dict[str, Article] = {}

    def publish(data: services.ArticleInput, translation_of: Article | None = None) -> Article:
        article = services.create_article(actor=manager, data=data, translation_of=translation_of)
        return services.publish(actor=manager, article=article)

    for _category, title, summary, paragraphs in ARTICLES:
        published[title] = publish(services.ArticleInput(title=title, summary=summary, body_html=_body(paragraphs)))
    for _category, question, answer in FAQ:
        published[question] = publish(services.ArticleInput(title=question, body_html=_body([answer]),
                                                            kind=ArticleKind.FAQ))
    for _code, title, summary, steps in [*CATEGORY_GUIDES, *PRODUCT_GUIDES]:
        published[title] = publish(services.ArticleInput(title=title, summary=summary, body_html=_body(steps)))
    for source_title, title, summary, paragraphs in TRANSLATIONS:
        publish(services.ArticleInput(title=title, summary=summary, body_html=_body(paragraphs), language="en"),
                translation_of=published[source_title])
    return len(published) + len(TRANSLATIONS)


def publish_demo_troubleshooting(manager: Any) -> dict[str, Article]:
    """Publish the demo troubleshooting trees (water purifier, phone charging) through the knowledge services."""
    published = {}
    for title, summary, intro, tree in TROUBLESHOOTING:
        article = services.create_article(actor=manager, data=services.ArticleInput(
            title=title, summary=summary, body_html=_body([intro]), kind=ArticleKind.TROUBLESHOOTING))
        pending: list[tuple[Any, str, Any]] = [(None, "", tree)]
        while pending:
            parent, answer, (text, outcome, answers) = pending.pop(0)
            step = troubleshooting.add_step(actor=manager, article=article, parent=parent, answer=answer, text=text,
                                            outcome=outcome)
            pending.extend((step, next_answer, subtree) for next_answer, subtree in answers)
        published[title] = services.publish(actor=manager, article=article)
    return published
