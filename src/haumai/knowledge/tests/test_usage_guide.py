"""The thank-you journey after delivery sends the usage guide of the product actually bought."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.journeys.tests.conftest import _fresh_journey_cache, catalog, deliver, morning, only, place_order, tick
from haumai.knowledge import selectors
from haumai.knowledge.models import Article, ArticleKind
from haumai.testing.smtp import local_smtp

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_journey_cache", "catalog", "morning"]  # fixtures shared with the journeys tests


def _guides(publish: Callable[..., Article], products: dict[str, Product]) -> tuple[Article, Article]:
    aircon = products["AC"]
    product_guide = publish("Hướng dẫn sử dụng điều hòa Daikin 1HP", kind=ArticleKind.GUIDE, product_id=aircon.pk)
    category_guide = publish("Hướng dẫn sử dụng điều hòa", kind=ArticleKind.GUIDE,
                             product_category_id=aircon.category_id)
    return product_guide, category_guide


def test_the_email_links_the_guide_of_the_delivered_product(
    catalog: dict[str, Product], morning: dt.datetime, settings: Any, django_capture_on_commit_callbacks: Any,
    publish: Callable[..., Article],
) -> None:  # fmt: skip
    product_guide, category_guide = _guides(publish, catalog)
    only("order-thank-you")
    with local_smtp() as smtp:
        smtp.configure(settings)
        deliver(place_order(sku="AC-1"))
        tick(django_capture_on_commit_callbacks, send=True)
        clock.advance(dt.timedelta(hours=2))
        tick(django_capture_on_commit_callbacks, send=True)
        tick(django_capture_on_commit_callbacks, send=True)
        assert len(smtp.messages) == 1
        text = smtp.messages[0].get_body(("plain",)).get_content()
    assert f"/portal/help/{product_guide.slug}/" in text
    assert f"/portal/help/{category_guide.slug}/" not in text


def test_fallback_is_the_category_guide_then_the_help_center(
    catalog: dict[str, Product], publish: Callable[..., Article]
) -> None:
    aircon = catalog["AC"]
    assert selectors.guide_path_for_products(products=[aircon]) == "/portal/help/"
    parent_guide = publish("Hướng dẫn sử dụng đồ điện máy", kind=ArticleKind.GUIDE,
                           product_category_id=aircon.category.parent_id)
    assert selectors.guide_path_for_products(products=[aircon]) == f"/portal/help/{parent_guide.slug}/"
    _product_guide, category_guide = _guides(publish, catalog)
    # A product without a guide of its own, in the air-conditioner category: the category guide.
    other = Product.objects.create(sku="AC-2", name="Điều hòa LG", search_key="dieu hoa lg", category=aircon.category)
    assert selectors.guide_path_for_products(products=[other]) == f"/portal/help/{category_guide.slug}/"
    # A phone case has no guide and no category: the help center home.
    assert selectors.guide_path_for_products(products=[catalog["CASE"]]) == "/portal/help/"


def test_an_unpublished_guide_is_never_sent(catalog: dict[str, Product], publish: Callable[..., Article],
                                            manager: Any) -> None:
    from haumai.knowledge import services

    guide = publish("Hướng dẫn điều hòa Daikin", kind=ArticleKind.GUIDE, product_id=catalog["AC"].pk)
    services.archive(actor=manager, article=guide)
    assert selectors.guide_path_for_products(products=[catalog["AC"]]) == "/portal/help/"
