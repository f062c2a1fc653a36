"""Parallel writers on PostgreSQL: slugs stay unique, versions are numbered once each, feedback limits hold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core.errors import DomainError
from haumai.knowledge import services
from haumai.knowledge.models import Article, ArticleVersion, Feedback

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")


def _race(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count, timeout=60)
    results: list[Any] = []
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(work(n))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_articles_with_one_title_get_distinct_slugs(manager: Any) -> None:
    def write(n: int) -> Article:
        return services.create_article(actor=manager, data=services.ArticleInput(title="Chính sách đổi trả"))

    results, failures = _race(6, write)
    assert not failures, failures
    slugs = sorted(article.slug for article in results)
    assert len(set(slugs)) == 6 and "chinh-sach-doi-tra" in slugs


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_saves_of_a_published_article_keep_every_version(
    publish: Callable[..., Article], manager: Any
) -> None:
    article = publish("Bảo hành loa", "<p>v1</p>")

    def save(n: int) -> Article:
        return services.update_article(
            actor=manager, article=article,
            data=services.ArticleInput(title="Bảo hành loa", body_html=f"<p>edit {n}</p>"),
        )

    _results, failures = _race(5, save)
    assert not failures, failures
    article.refresh_from_db()
    assert article.version == 6
    assert sorted(ArticleVersion.objects.filter(article=article).values_list("number", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_feedback_from_one_address_counts_once_per_article(publish: Callable[..., Article]) -> None:
    article = publish("Thanh toán trả góp", "<p>Trả góp 0% qua thẻ tín dụng.</p>")

    def answer(n: int) -> Any:
        return services.record_feedback(article=article, helpful=True, ip_address="203.0.113.9")

    results, failures = _race(6, answer)
    assert len(results) == 1, failures
    assert all(isinstance(f, DomainError) and f.code == "rate_limited" for f in failures), failures
    assert Feedback.objects.count() == 1
