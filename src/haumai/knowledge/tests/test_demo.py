"""The demo generator fills the help center: Vietnamese articles and guides, feedback, content gaps."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from haumai.core import clock
from haumai.demo.tests.test_demo_command import NOW
from haumai.knowledge import selectors
from haumai.knowledge.demo import seed_knowledge
from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, ArticleVersion, Feedback, UnansweredSearch
from haumai.knowledge.search import search_articles

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def test_demo_creates_a_usable_help_center(client: Client) -> None:
    with clock.frozen(NOW):
        call_command("demo", "--customers", "30", stdout=io.StringIO())
    vietnamese = Article.objects.filter(language="vi", status=ArticleStatus.PUBLISHED)
    assert vietnamese.count() >= 40
    assert vietnamese.filter(kind=ArticleKind.FAQ).count() >= 15
    assert vietnamese.filter(kind=ArticleKind.GUIDE, product__isnull=False).count() >= 5
    assert vietnamese.filter(kind=ArticleKind.GUIDE, product_category__isnull=False).count() >= 8
    assert Article.objects.filter(status=ArticleStatus.IN_REVIEW).exists()
    assert ArticleVersion.objects.exists() and Feedback.objects.count() > 100
    assert UnansweredSearch.objects.values("query_key").distinct().count() >= 10
    # An air conditioner bought in the demo links its own guide.
    guide = selectors.guide_for(product=Article.objects.filter(product__sku="DK-FTKB25-1HP").get().product)
    assert guide is not None and "Daikin" in guide.title
    assert search_articles(query="ve sinh luoi loc dieu hoa")[0].article.kind == ArticleKind.GUIDE
    assert client.get("/portal/help/").status_code == 200
    assert seed_knowledge() == {}  # once only


def test_without_a_manager_nothing_is_created(db: Any) -> None:
    assert seed_knowledge() == {} and not Article.objects.exists()
