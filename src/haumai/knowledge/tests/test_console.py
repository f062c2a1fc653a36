"""Console pages: list with filters and search, editor with field errors, workflow buttons, versions,
feedback summary, content gaps, the inbox's article search; permissions and query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.core.registry import registry
from haumai.knowledge import services
from haumai.knowledge.models import Article, ArticleStatus, ArticleVersion, HelpCategory, UnansweredSearch
from haumai.support.services.ingest import ingest_inbound
from haumai.support.tests.conftest import inbound

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def many(publish: Callable[..., Article], warranty_category: HelpCategory, agent: Any) -> list[Article]:
    rows = [publish(f"Đổi trả sản phẩm {n}", category_id=warranty_category.pk) for n in range(30)]
    rows.append(services.create_article(actor=agent, data=services.ArticleInput(title="Bản nháp giao hàng")))
    return rows


def test_list_is_paginated_filtered_and_searchable(agent: Any, many: list[Article],
                                                  django_assert_max_num_queries: Any) -> None:
    client = _client(agent)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("knowledge:list"))
    assert page.status_code == 200 and "page=2" in page.content.decode()
    drafts = client.get(reverse("knowledge:list"), {"status": "draft"}).content.decode()
    assert "Bản nháp giao hàng" in drafts and "Đổi trả sản phẩm 3" not in drafts
    with django_assert_max_num_queries(16):
        found = client.get(reverse("knowledge:list"), {"q": "giao hang"})
    assert "<mark>giao</mark>" in found.content.decode()
    bad = client.get(reverse("knowledge:list"), {"status": "nope", "category": "abc", "language": "xx", "page": "-3"})
    assert bad.status_code == 200


def test_editor_shows_field_errors_and_keeps_what_was_typed(agent: Any) -> None:
    client = _client(agent)
    answer = client.post(reverse("knowledge:new"), {
        "title": "Hướng dẫn bảo quản tủ lạnh", "language": "vi", "kind": "article",
        "video_url": "https://evil.example/v.mp4", "body_html": "<p>Giữ nhiệt độ 4 độ C</p>",
    })
    text = answer.content.decode()
    assert answer.status_code == 422 and 'id="error-video_url"' in text and "Hướng dẫn bảo quản tủ lạnh" in text
    assert Article.objects.count() == 0
    created = client.post(reverse("knowledge:new"), {
        "title": "Hướng dẫn bảo quản tủ lạnh", "language": "vi", "kind": "article",
        "video_url": "https://vimeo.com/76979871", "body_html": "<p>Giữ 4 độ C</p><script>x</script>",
    })
    article = Article.objects.get()
    assert created.status_code == 302 and article.body_html == "<p>Giữ 4 độ C</p>"
    preview = client.get(reverse("knowledge:preview", args=[article.pk]))
    assert 'src="https://player.vimeo.com/video/76979871"' in preview.content.decode()


def test_agent_submits_and_manager_publishes(agent: Any, manager: Any) -> None:
    article = services.create_article(actor=agent, data=services.ArticleInput(title="Thanh toán khi nhận hàng"))
    agent_client = _client(agent)
    page = agent_client.get(reverse("knowledge:edit", args=[article.pk])).content.decode()
    assert 'id="action-submit"' in page and 'id="action-publish"' not in page
    agent_client.post(reverse("knowledge:action", args=[article.pk, "submit"]))
    agent_client.post(reverse("knowledge:action", args=[article.pk, "publish"]))  # refused by the service
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    manager_client = _client(manager)
    assert 'id="action-publish"' in manager_client.get(reverse("knowledge:edit", args=[article.pk])).content.decode()
    manager_client.post(reverse("knowledge:action", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert manager_client.post(reverse("knowledge:action", args=[article.pk, "explode"])).status_code == 404


def test_version_history_pages(publish: Callable[..., Article], manager: Any) -> None:
    article = publish("Giao hàng tiết kiệm", "<p>Cũ</p>")
    client = _client(manager)
    client.post(reverse("knowledge:edit", args=[article.pk]),
                {"title": "Giao hàng tiết kiệm", "slug": article.slug, "language": "vi", "kind": "article",
                 "body_html": "<p>Mới</p>"})
    assert ArticleVersion.objects.filter(article=article, number=1, body_html="<p>Cũ</p>").exists()
    history = client.get(reverse("knowledge:versions", args=[article.pk]))
    assert history.status_code == 200 and reverse("knowledge:version", args=[article.pk, 1]) in history.content.decode()
    old = client.get(reverse("knowledge:version", args=[article.pk, 1]))
    assert "<p>Cũ</p>" in old.content.decode()
    assert client.get(reverse("knowledge:version", args=[article.pk, 9])).status_code == 404


def test_feedback_and_gaps_reports(publish: Callable[..., Article], manager: Any,
                                   django_assert_max_num_queries: Any) -> None:
    article = publish("Bảo hành màn hình")
    services.record_feedback(article=article, helpful=False, reason="unclear", ip_address="192.0.2.10")
    services.record_feedback(article=article, helpful=True, ip_address="192.0.2.11")
    for text in ("Trả góp", "tra gop", "TRẢ GÓP", "mã giảm giá"):
        services.record_unanswered_search(query=text, language="vi")
    client = _client(manager)
    with django_assert_max_num_queries(12):
        feedback = client.get(reverse("knowledge:feedback")).content.decode()
    assert "Bảo hành màn hình" in feedback and "50%" in feedback and "Hard to understand" in feedback
    with django_assert_max_num_queries(12):
        gaps = client.get(reverse("knowledge:gaps")).content.decode()
    assert "<strong>3</strong>" in gaps and "<strong>1</strong>" in gaps


def test_warehouse_staff_cannot_open_the_knowledge_base(make_staff: Any, publish: Callable[..., Article]) -> None:
    article = publish("Nội bộ")
    client = _client(make_staff("warehouse", "kb-wh"))
    for url in (reverse("knowledge:list"), reverse("knowledge:new"), reverse("knowledge:edit", args=[article.pk]),
                reverse("knowledge:feedback"), reverse("knowledge:gaps"), reverse("knowledge:insert") + "?q=noi"):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("knowledge:action", args=[article.pk, "archive"])).status_code == 403
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_inbox_search_inserts_published_articles(agent: Any, publish: Callable[..., Article]) -> None:
    article = publish("Cách kích hoạt bảo hành điện tử", summary="Quét mã QR trên hộp")
    client = _client(agent)
    answer = client.get(reverse("knowledge:insert"), {"q": "kich hoat bao hanh"}).json()
    (result,) = answer["results"]
    assert result["title"] == article.title and result["summary"] == "Quét mã QR trên hộp"
    assert result["url"].endswith(f"/portal/help/{article.slug}/") and result["score"] > 0
    assert client.get(reverse("knowledge:insert"), {"q": "x"}).status_code == 422
    assert client.get(reverse("knowledge:insert"), {"q": "bao hiem xe may"}).json() == {"results": []}
    assert UnansweredSearch.objects.get().source == "inbox"
    message = ingest_inbound(inbound(external_id="kb-1", sender_value="z-kb", text="Kích hoạt bảo hành thế nào?"))
    assert message is not None
    ticket_page = client.get(reverse("support:ticket", args=[message.ticket.code])).content.decode()
    assert 'id="ticket-knowledge"' in ticket_page and "knowledge/inbox.js" in ticket_page


def test_navigation_and_search_provider_are_registered(agent: Any, publish: Callable[..., Article]) -> None:
    assert registry.nav["knowledge.articles"].url_name == "knowledge:list"
    publish("Hướng dẫn đổi mật khẩu")
    hits = registry.search["knowledge"].search("doi mat khau", agent, 5)
    assert hits and hits[0].title == "Hướng dẫn đổi mật khẩu" and 0 < hits[0].score <= 0.8
