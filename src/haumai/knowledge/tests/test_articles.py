"""Articles: validation, sanitizing, slugs, video embeds, the workflow and who may publish, versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.events.models import Event
from haumai.knowledge import content, services
from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, ArticleVersion

pytestmark = pytest.mark.django_db


def _data(**fields: Any) -> services.ArticleInput:
    return services.ArticleInput(**{"title": "Hướng dẫn sử dụng máy lọc nước", "body_html": "<p>Bước 1</p>", **fields})


def test_vietnamese_title_gets_a_slug_without_diacritics(agent: Any) -> None:
    article = services.create_article(actor=agent, data=_data(title="Hướng dẫn sử dụng Điều hòa Đà Nẵng"))
    assert article.slug == "huong-dan-su-dung-dieu-hoa-da-nang"
    again = services.create_article(actor=agent, data=_data(title="Hướng dẫn sử dụng điều hòa Đà Nẵng"))
    assert again.slug == "huong-dan-su-dung-dieu-hoa-da-nang-2"
    assert article.status == ArticleStatus.DRAFT
    assert Event.objects.filter(name="article.created", subject_id=article.pk).exists()


def test_body_is_sanitized_server_side(agent: Any) -> None:
    article = services.create_article(actor=agent, data=_data(body_html=(
        '<p onclick="x()">Xin chào<script>alert(1)</script></p><img src="javascript:alert(1)">'
        '<img src="https://cdn.example.vn/a.png" alt="Máy" onerror="x()"><a href="javascript:x()">y</a>'
        '<iframe src="https://evil.example"></iframe><style>p{}</style>'
    )))
    body = article.body_html
    assert "script" not in body and "onclick" not in body and "onerror" not in body and "javascript" not in body
    assert "iframe" not in body and "style" not in body
    assert '<img src="https://cdn.example.vn/a.png" alt="Máy">' in body
    assert article.body_text.startswith("Xin chào")


@pytest.mark.parametrize(
    ("link", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)", None),
        ("https://www.youtube.com/watch?v=bad\"><script>", None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
    ],
)
def test_only_youtube_and_vimeo_embed(link: str, embed: str | None) -> None:
    assert content.embed_url(link) == embed


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(agent: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.create_article(actor=agent, data=_data(
            title=" ", video_url="https://evil.example/v/1", kind=ArticleKind.GUIDE, language="fr",
            summary="x" * 301, slug="Có Dấu", category_id=999_999,
        ))
    fields = {error.field for error in refused.value.errors}
    assert fields >= {"title", "video_url", "language", "summary", "slug", "category"}
    assert Article.objects.count() == 0


def test_guide_needs_a_product_or_a_category(agent: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.create_article(actor=agent, data=_data(kind=ArticleKind.GUIDE))
    assert [error.field for error in refused.value.errors] == ["product"]


def test_faq_needs_an_answer(agent: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.create_article(actor=agent, data=_data(kind=ArticleKind.FAQ, body_html="<p> </p>"))


def test_workflow_and_only_managers_publish(agent: Any, manager: Any) -> None:
    article = services.create_article(actor=agent, data=_data())
    article = services.submit_for_review(actor=agent, article=article)
    assert article.status == ArticleStatus.IN_REVIEW
    with pytest.raises(Forbidden):
        services.publish(actor=agent, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW and article.published_at is None
    article = services.publish(actor=manager, article=article)
    assert article.status == ArticleStatus.PUBLISHED and article.published_at is not None
    with pytest.raises(Conflict):
        services.submit_for_review(actor=agent, article=article)
    with pytest.raises(Forbidden):
        services.archive(actor=agent, article=article)
    assert services.archive(actor=manager, article=article).status == ArticleStatus.ARCHIVED
    names = list(Event.objects.filter(subject_id=article.pk, subject_type="knowledge.article")
                 .order_by("id").values_list("name", flat=True))
    assert names == ["article.created", "article.submitted", "article.published", "article.archived"]


def test_review_can_send_back_to_draft(agent: Any) -> None:
    article = services.submit_for_review(actor=agent, article=services.create_article(actor=agent, data=_data()))
    assert services.return_to_draft(actor=agent, article=article).status == ArticleStatus.DRAFT


def test_warehouse_staff_cannot_write(make_staff: Any) -> None:
    with pytest.raises(Forbidden):
        services.create_article(actor=make_staff("warehouse", "kb-wh"), data=_data())
    assert Article.objects.count() == 0


def test_saving_a_published_article_keeps_the_previous_version(
    publish: Callable[..., Article], manager: Any, agent: Any
) -> None:
    article = publish("Bảo hành pin", "<p>Pin bảo hành 6 tháng.</p>")
    assert ArticleVersion.objects.count() == 0
    services.update_article(actor=manager, article=article,
                            data=services.ArticleInput(title="Bảo hành pin", body_html="<p>Pin bảo hành 12 tháng.</p>"))
    services.update_article(actor=manager, article=article,
                            data=services.ArticleInput(title="Bảo hành pin và sạc", body_html="<p>Sạc 3 tháng.</p>"))
    article.refresh_from_db()
    assert article.version == 3 and article.title == "Bảo hành pin và sạc"
    versions = list(ArticleVersion.objects.filter(article=article).order_by("number"))
    assert [(v.number, v.body_html) for v in versions] == [(1, "<p>Pin bảo hành 6 tháng.</p>"),
                                                          (2, "<p>Pin bảo hành 12 tháng.</p>")]
    # An agent may not change what readers see: the edit is refused and nothing moves.
    with pytest.raises(Forbidden):
        services.update_article(actor=agent, article=article, data=services.ArticleInput(title="Khác"))
    article.refresh_from_db()
    assert article.title == "Bảo hành pin và sạc" and ArticleVersion.objects.count() == 2


def test_drafts_are_edited_without_versions(agent: Any) -> None:
    article = services.create_article(actor=agent, data=_data())
    services.update_article(actor=agent, article=article, data=_data(summary="Ngắn gọn"))
    assert ArticleVersion.objects.count() == 0


def test_translation_shares_the_key_and_one_row_per_language(agent: Any) -> None:
    vietnamese = services.create_article(actor=agent, data=_data())
    english = services.create_article(actor=agent, data=_data(title="Water purifier guide", language="en"),
                                      translation_of=vietnamese)
    assert english.translation_key == vietnamese.translation_key
    with pytest.raises(ValidationFailed):
        services.create_article(actor=agent, data=_data(title="Again", language="en"), translation_of=vietnamese)


def test_slug_taken_by_another_article_is_refused_on_edit(agent: Any) -> None:
    services.create_article(actor=agent, data=_data(title="Giao hàng"))
    other = services.create_article(actor=agent, data=_data(title="Thanh toán"))
    with pytest.raises(ValidationFailed) as refused:
        services.update_article(actor=agent, article=other, data=_data(title="Thanh toán", slug="giao-hang"))
    assert refused.value.errors[0].field == "slug"
