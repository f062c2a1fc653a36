"""The public help center: no login, published only, search with content gaps, feedback with limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haumai.knowledge import portal_views, services
from haumai.knowledge.models import Article, ArticleKind, Feedback, HelpCategory, UnansweredSearch

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


@pytest.fixture
def site(publish: Callable[..., Article], warranty_category: HelpCategory, manager: Any) -> dict[str, Article]:
    found = {
        f"article{n}": publish(f"Bảo hành sản phẩm số {n}", "<p>Mang máy tới cửa hàng.</p>",
                               category_id=warranty_category.pk)
        for n in range(6)
    }
    found["faq"] = publish("Bảo hành có mất phí không?", "<p>Miễn phí trong thời hạn.</p>", kind=ArticleKind.FAQ,
                           category_id=warranty_category.pk)
    found["video"] = publish("Video lắp đặt máy lọc nước", "<p>Xem video.</p>",
                             video_url="https://youtu.be/dQw4w9WgXcQ", category_id=warranty_category.pk)
    found["draft"] = services.create_article(
        actor=manager, data=services.ArticleInput(title="Bài nháp bí mật", category_id=warranty_category.pk)
    )
    return found


def test_home_lists_categories_top_articles_and_faq_in_few_queries(
    client: Client, site: dict[str, Article], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        page = client.get("/portal/help/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bảo hành sản phẩm số 1" in text and "Bảo hành có mất phí không?" in text
    assert "Bài nháp bí mật" not in text
    assert 'href="/portal/help/c/bao-hanh/"' in text


def test_category_page_is_paginated(
    client: Client, site: dict[str, Article], django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(portal_views, "PAGE_SIZE", 5)
    with django_assert_max_num_queries(6):
        first = client.get("/portal/help/c/bao-hanh/")
    assert first.status_code == 200 and "?page=2" in first.content.decode()
    second = client.get("/portal/help/c/bao-hanh/?page=2")
    assert second.status_code == 200 and "Bài nháp bí mật" not in second.content.decode()
    assert client.get("/portal/help/c/khong-co/").status_code == 404


def test_article_page_by_slug_with_a_safe_video_embed(client: Client, site: dict[str, Article]) -> None:
    page = client.get(f"/portal/help/{site['video'].slug}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text and "sandbox=" in text
    assert "https://www.youtube-nocookie.com" in page["Content-Security-Policy"]
    assert 'name="robots" content="index, follow"' in text


def test_unpublished_articles_are_not_found(client: Client, site: dict[str, Article]) -> None:
    assert client.get(f"/portal/help/{site['draft'].slug}/").status_code == 404


def test_search_page_highlights_and_records_gaps(client: Client, site: dict[str, Article]) -> None:
    page = client.get("/portal/help/search/", {"q": "bao hanh"})
    assert page.status_code == 200 and "<mark>Bảo</mark>" in page.content.decode()
    assert UnansweredSearch.objects.count() == 0
    empty = client.get("/portal/help/search/", {"q": "Trả góp lãi suất"})
    assert 'id="no-results"' in empty.content.decode()
    client.get("/portal/help/search/", {"q": "tra gop lai suat"})
    gap = UnansweredSearch.objects.values_list("query_key", flat=True).distinct()
    assert list(gap) == ["tra gop lai suat"] and UnansweredSearch.objects.count() == 2


def test_feedback_yes_and_no_with_a_reason(client: Client, site: dict[str, Article]) -> None:
    article = site["article1"]
    url = f"/portal/help/{article.slug}/feedback/"
    answer = client.post(url, {"helpful": "no", "reason": "outdated", "comment": "Thiếu địa chỉ"},
                         REMOTE_ADDR="198.51.100.7")
    assert answer.status_code == 302 and answer["Location"].endswith("?thanks=1#feedback")
    saved = Feedback.objects.get()
    assert (saved.helpful, saved.reason, saved.comment) == (False, "outdated", "Thiếu địa chỉ")
    # The same address on the same article the same day: refused, nothing added.
    again = client.post(url, {"helpful": "yes"}, REMOTE_ADDR="198.51.100.7")
    assert again.status_code == 429 and Feedback.objects.count() == 1
    client.post(url, {"helpful": "yes"}, REMOTE_ADDR="198.51.100.8")
    assert Feedback.objects.filter(helpful=True, reason="solved").count() == 1


def test_feedback_bad_input_changes_nothing(client: Client, site: dict[str, Article]) -> None:
    url = f"/portal/help/{site['article1'].slug}/feedback/"
    assert client.post(url, {"helpful": "maybe"}).status_code == 400
    refused = client.post(url, {"helpful": "no", "reason": "hacker"})
    assert refused.status_code == 422 and 'id="feedback-error"' in refused.content.decode()
    assert client.post(f"/portal/help/{site['draft'].slug}/feedback/", {"helpful": "yes"}).status_code == 404
    assert Feedback.objects.count() == 0


def test_feedback_is_rate_limited_per_address(client: Client, site: dict[str, Article], settings: Any) -> None:
    settings.HAUMAI_KNOWLEDGE_FEEDBACK_PER_HOUR = 3
    statuses = [
        client.post(f"/portal/help/{site[f'article{n}'].slug}/feedback/", {"helpful": "yes"}, REMOTE_ADDR="192.0.2.1")
        .status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3


def test_english_reader_gets_the_english_translation(client: Client, publish: Callable[..., Article],
                                                    manager: Any) -> None:
    vietnamese = publish("Chính sách giao hàng", "<p>Giao trong 2 ngày.</p>")
    english = services.create_article(
        actor=manager, data=services.ArticleInput(title="Delivery policy", body_html="<p>2 days.</p>", language="en"),
        translation_of=vietnamese,
    )
    services.publish(actor=manager, article=english)
    page = client.get(f"/portal/help/{vietnamese.slug}/")
    assert "Read in English" in page.content.decode()
    assert client.get(f"/portal/help/{english.slug}/").status_code == 200
