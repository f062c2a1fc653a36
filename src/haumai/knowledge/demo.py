"""Demo help center: categories, ~45 Vietnamese articles (policies, FAQ, usage guides for the demo catalogue's
categories and best sellers), a few English translations, two articles in the workflow, readers' feedback
and unanswered searches. Skipped when articles exist. Goes through the services (sanitizing, events)."""

from __future__ import annotations

import datetime as dt
import html
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from haumai.catalog.models import Category as ProductCategory
from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.text import search_key
from haumai.knowledge import services
from haumai.knowledge.demo_content import (
    ARTICLES,
    CATEGORIES,
    CATEGORY_GUIDES,
    FAQ,
    PRODUCT_GUIDES,
    TRANSLATIONS,
    TROUBLESHOOTING,
    UNANSWERED,
)
from haumai.knowledge.models import (
    Article,
    ArticleKind,
    Feedback,
    FeedbackReason,
    HelpCategory,
    StepOutcome,
    TroubleshootingStep,
    UnansweredSearch,
)
from haumai.knowledge.services import troubleshooting
from haumai.knowledge.services.feedback import visitor_key

FEEDBACK_DAYS = 60
NEGATIVE_REASONS = [FeedbackReason.UNCLEAR, FeedbackReason.INCOMPLETE, FeedbackReason.OUTDATED,
                    FeedbackReason.NOT_RELEVANT]
COMMENTS = ("Cần thêm hình minh họa.", "Không thấy nói về hàng khuyến mãi.", "Nên có video hướng dẫn.", "")


def _paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{html.escape(item)}</p>" for item in items)


def _steps(items: list[str]) -> str:
    return "<ol>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ol>"


def _publish(actor: Any, data: services.ArticleInput, translation_of: Article | None = None) -> Article:
    article = services.create_article(actor=actor, data=data, translation_of=translation_of)
    return services.publish(actor=actor, article=article)


def seed_knowledge(*, seed: int = 11) -> dict[str, int]:
    """Create the demo help center once (skipped when articles exist or no manager exists)."""
    if Article.objects.exists():
        return {}
    manager = get_user_model().objects.filter(groups__name="manager", is_active=True).order_by("id").first()
    agent = get_user_model().objects.filter(groups__name="agent", is_active=True).order_by("id").first()
    if manager is None:
        return {}
    rng = random.Random(seed)
    with transaction.atomic():
        categories = {}
        for position, (slug, name_vi, name_en, description, icon) in enumerate(CATEGORIES):
            categories[slug], _created = HelpCategory.objects.get_or_create(
                slug=slug, defaults={"name_vi": name_vi, "name_en": name_en, "description_vi": description,
                                     "icon": icon, "position": position * 10},
            )
        published: dict[str, Article] = {}
        for category, title, summary, paragraphs in ARTICLES:
            published[title] = _publish(manager, services.ArticleInput(
                title=title, summary=summary, body_html=_paragraphs(paragraphs), category_id=categories[category].pk))
        for category, question, answer in FAQ:
            published[question] = _publish(manager, services.ArticleInput(
                title=question, body_html=_paragraphs([answer]), kind=ArticleKind.FAQ,
                category_id=categories[category].pk))
        guides = categories["huong-dan-su-dung"].pk
        codes = [guide[0] for guide in CATEGORY_GUIDES]
        product_categories = {c.code: c for c in ProductCategory.objects.filter(code__in=codes)}
        for code, title, summary, steps in CATEGORY_GUIDES:
            if code in product_categories:
                published[title] = _publish(manager, services.ArticleInput(
                    title=title, summary=summary, body_html=_steps(steps), kind=ArticleKind.GUIDE,
                    category_id=guides, product_category_id=product_categories[code].pk))
        products = {p.sku: p for p in Product.objects.filter(sku__in=[g[0] for g in PRODUCT_GUIDES])}
        for sku, title, summary, steps in PRODUCT_GUIDES:
            if sku in products:
                published[title] = _publish(manager, services.ArticleInput(
                    title=title, summary=summary, body_html=_steps(steps), kind=ArticleKind.GUIDE,
                    category_id=guides, product_id=products[sku].pk))
        for source_title, title, summary, paragraphs in TRANSLATIONS:
            source = published.get(source_title)
            if source is not None:
                _publish(manager, services.ArticleInput(
                    title=title, summary=summary, body_html=_paragraphs(paragraphs), language="en", kind=source.kind,
                    category_id=source.category_id, product_category_id=source.product_category_id,
                    product_id=source.product_id), translation_of=source)
        for title, summary, intro, tree in TROUBLESHOOTING:
            published[title] = _troubleshooting(rng, manager, categories["xu-ly-su-co"].pk, title, summary, intro, tree)
        writer = agent or manager
        review = services.create_article(actor=writer, data=services.ArticleInput(
            title="Chính sách thu cũ đổi mới điện thoại", summary="Bản nháp chờ quản lý duyệt",
            body_html=_paragraphs(["Thu lại điện thoại cũ với giá tốt khi mua máy mới, trợ giá đến 2.000.000 ₫."]),
            category_id=categories["doi-tra"].pk))
        services.submit_for_review(actor=writer, article=review)
        services.create_article(actor=writer, data=services.ArticleInput(
            title="Hướng dẫn sử dụng máy lọc không khí", summary="Đang soạn",
            body_html=_paragraphs(["Thay màng lọc HEPA 6–12 tháng một lần."]), category_id=guides))
        # One published article edited once, so the version history has an entry.
        first = published[ARTICLES[0][1]]
        services.update_article(actor=manager, article=first, data=services.ArticleInput(
            title=first.title, summary=first.summary, category_id=first.category_id,
            body_html=first.body_html + _paragraphs(["Gói bảo hành mở rộng được mua trong 30 ngày kể từ ngày mua."])))
        feedback = _feedback(rng, list(published.values()))
        gaps = _gaps(rng)
    return {"knowledge.article": Article.objects.count(), "knowledge.feedback": feedback, "knowledge.gaps": gaps}


def _troubleshooting(
    rng: random.Random, manager: Any, category_id: int, title: str, summary: str, intro: str, tree: Any
) -> Article:
    article = services.create_article(actor=manager, data=services.ArticleInput(
        title=title, summary=summary, body_html=_paragraphs([intro]), kind=ArticleKind.TROUBLESHOOTING,
        category_id=category_id))
    pending: list[tuple[TroubleshootingStep | None, str, Any]] = [(None, "", tree)]
    while pending:
        parent, answer, (text, outcome, answers) = pending.pop(0)
        step = troubleshooting.add_step(actor=manager, article=article, parent=parent, answer=answer, text=text,
                                        outcome=outcome)
        if outcome == StepOutcome.TRY_FIX:  # readers' answers over the last weeks
            TroubleshootingStep.objects.filter(pk=step.pk).update(
                fixed_count=rng.randint(8, 40), not_fixed_count=rng.randint(2, 15))
        pending.extend((step, next_answer, subtree) for next_answer, subtree in answers)
    return services.publish(actor=manager, article=article)


def _feedback(rng: random.Random, articles: list[Article]) -> int:
    now = clock.now()
    rows = []
    for index in range(180):
        article = rng.choice(articles)
        helpful = rng.random() < 0.78
        rows.append(Feedback(
            article=article, helpful=helpful,
            reason=FeedbackReason.SOLVED if helpful else rng.choice(NEGATIVE_REASONS),
            comment="" if helpful else rng.choice(COMMENTS),
            visitor_key=visitor_key(f"demo-{index}"),
            created_at=now - dt.timedelta(days=rng.randint(0, FEEDBACK_DAYS), minutes=rng.randint(0, 1440)),
        ))
    Feedback.objects.bulk_create(rows)
    return len(rows)


def _gaps(rng: random.Random) -> int:
    now = clock.now()
    rows = [
        UnansweredSearch(query=query, query_key=search_key(query), language="vi",
                         created_at=now - dt.timedelta(days=rng.randint(0, 25), minutes=rng.randint(0, 1440)))
        for query, times in UNANSWERED
        for _ in range(times)
    ]
    UnansweredSearch.objects.bulk_create(rows)
    return len(rows)
