"""Search on both databases: diacritics ignored, typos tolerated, ranked, highlighted, published only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from haumai.knowledge import services
from haumai.knowledge.models import Article, ArticleStatus
from haumai.knowledge.search import highlight, query_words, search_articles, snippet

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(publish: Callable[..., Article], manager: Any) -> dict[str, Article]:
    found = {
        "warranty": publish(
            "Chính sách bảo hành điện thoại",
            "<p>Điện thoại được bảo hành 12 tháng tại cửa hàng. Mang theo phiếu bảo hành và hóa đơn.</p>",
            summary="Thời hạn và điều kiện bảo hành",
        ),
        "returns": publish("Đổi trả trong 30 ngày", "<p>Sản phẩm lỗi được đổi mới trong 30 ngày kể từ khi nhận.</p>"),
        "aircon": publish(
            "Hướng dẫn vệ sinh điều hòa",
            "<p>Vệ sinh lưới lọc điều hòa mỗi tháng; bảo dưỡng định kỳ 6 tháng.</p>",
        ),
        "english": publish("How to pair the Bluetooth headset", "<p>Hold the button for five seconds.</p>",
                           language="en"),
    }
    draft = services.create_article(actor=manager, data=services.ArticleInput(title="Bảo hành bản nháp"))
    found["draft"] = draft
    return found


def _titles(hits: list[Any]) -> list[str]:
    return [hit.article.title for hit in hits]


def test_query_without_diacritics_finds_the_vietnamese_article(library: dict[str, Article]) -> None:
    hits = search_articles(query="bao hanh dien thoai")
    assert _titles(hits)[0] == "Chính sách bảo hành điện thoại"
    assert "<mark>bảo</mark>" in hits[0].title_html and "<mark>hành</mark>" in hits[0].title_html
    assert hits[0].typo is False


def test_prefix_of_a_word_matches(library: dict[str, Article]) -> None:
    assert _titles(search_articles(query="dieu ho"))[0] == "Hướng dẫn vệ sinh điều hòa"


def test_title_match_ranks_above_body_match(library: dict[str, Article]) -> None:
    hits = search_articles(query="bảo hành")
    assert _titles(hits)[0] == "Chính sách bảo hành điện thoại"
    # The air-conditioner guide says "bảo dưỡng", not "bảo hành": not found by both words.
    assert "Hướng dẫn vệ sinh điều hòa" not in _titles(hits)
    assert hits == sorted(hits, key=lambda hit: -hit.score)


def test_typo_is_tolerated(library: dict[str, Article]) -> None:
    hits = search_articles(query="dieu hoaa ve sinhh")
    assert _titles(hits)[:1] == ["Hướng dẫn vệ sinh điều hòa"]
    assert hits[0].typo is True
    assert "<mark>" in hits[0].snippet_html


def test_typo_in_a_long_word(library: dict[str, Article]) -> None:
    # "bluetoth" for "bluetooth"
    assert _titles(search_articles(query="bluetoth headset", language="en")) == ["How to pair the Bluetooth headset"]


def test_only_published_by_default_and_any_state_when_asked(library: dict[str, Article]) -> None:
    assert "Bảo hành bản nháp" not in _titles(search_articles(query="bao hanh"))
    everything = search_articles(query="bao hanh", statuses=ArticleStatus.values)
    assert "Bảo hành bản nháp" in _titles(everything)


def test_language_filter(library: dict[str, Article]) -> None:
    assert search_articles(query="bluetooth", language="vi") == []
    assert len(search_articles(query="bluetooth", language="en")) == 1


def test_nothing_for_unrelated_words(library: dict[str, Article]) -> None:
    assert search_articles(query="trả góp lãi suất 0%") == []


def test_archived_article_leaves_the_results(library: dict[str, Article], manager: Any) -> None:
    services.archive(actor=manager, article=library["returns"])
    assert search_articles(query="doi tra") == []


def test_edit_is_searchable_at_once(library: dict[str, Article], manager: Any) -> None:
    article = library["returns"]
    services.update_article(
        actor=manager, article=article,
        data=services.ArticleInput(title=article.title, body_html="<p>Hoàn tiền qua ví MoMo.</p>"),
    )
    assert _titles(search_articles(query="momo")) == ["Đổi trả trong 30 ngày"]


def test_hostile_query_text_is_harmless(library: dict[str, Article]) -> None:
    for query in ['"bảo hành', "bao* OR NEAR(", "'; DROP TABLE x; --", "a & | ! :*", "😀", "   ", "x" * 5000]:
        search_articles(query=query)  # no error
    assert query_words('bao" OR hanh*') == ["bao", "or", "hanh"]


def test_paging_with_offset(publish: Callable[..., Article]) -> None:
    for number in range(5):
        publish(f"Giao hàng nhanh khu vực {number}")
    first = search_articles(query="giao hang", limit=3)
    second = search_articles(query="giao hang", limit=3, offset=3)
    assert len(first) == 3 and len(second) == 2
    assert not {hit.article.pk for hit in first} & {hit.article.pk for hit in second}


def test_highlight_keeps_diacritics_and_escapes() -> None:
    marked = highlight("<b>Điều hòa</b> Đà Nẵng", ["dieu", "da"])
    assert marked == "&lt;b&gt;<mark>Điều</mark> hòa&lt;/b&gt; <mark>Đà</mark> Nẵng"
    long_text = "Mở đầu. " * 40 + "Cách bảo dưỡng máy giặt cửa trước." + " Kết thúc." * 40
    cut = snippet(long_text, ["may", "giat"])
    assert cut.startswith("… ") and "<mark>máy</mark> <mark>giặt</mark>" in cut and len(cut) < 400


def test_both_backends_have_their_index(db: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
            assert {row[0] for row in cursor.fetchall()} == {"unaccent", "pg_trgm"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'knowledge_article_fts'")
            assert cursor.fetchone() is not None
