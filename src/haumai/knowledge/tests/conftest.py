"""Fixtures: staff per role, help categories, and a helper that writes and publishes an article."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haumai.knowledge import services
from haumai.knowledge.models import Article, HelpCategory


@pytest.fixture
def manager(make_staff: Any) -> Any:
    return make_staff("manager", "kb-manager")


@pytest.fixture
def agent(make_staff: Any) -> Any:
    return make_staff("agent", "kb-agent")


@pytest.fixture
def warranty_category(db: Any) -> HelpCategory:
    return HelpCategory.objects.create(slug="bao-hanh", name_vi="Bảo hành", name_en="Warranty", icon="shield-check")


@pytest.fixture
def publish(manager: Any) -> Callable[..., Article]:
    def make(title: str, body: str = "", **fields: Any) -> Article:
        data = services.ArticleInput(title=title, body_html=body or f"<p>{title}</p>", **fields)
        article = services.create_article(actor=manager, data=data)
        return services.publish(actor=manager, article=article)

    return make
