"""Parallel clients (PostgreSQL): one open request per kind and person, one extension, one consent wording
version number per purpose."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core.errors import Conflict
from haumai.customers.consents import publish_consent_text
from haumai.customers.models import ConsentText
from haumai.customers.services import create_customer
from haumai.privacy import services
from haumai.privacy.models import DataRequest

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
def test_parallel_requests_of_one_kind_open_one(make_staff: Any) -> None:
    customer = create_customer(actor=None, full_name="Hồ Thị Lan", phone="0908777666")
    manager = make_staff("manager")

    def ask(n: int) -> DataRequest:
        return services.create_request(actor=None, customer=customer, kind="deletion", origin="portal")

    results, failures = _race(8, ask)
    assert len(results) == 1 and DataRequest.objects.count() == 1
    assert len(failures) == 7 and all(isinstance(f, Conflict) and f.code == "request_open" for f in failures)

    row = results[0]
    extended, refused = _race(6, lambda n: services.extend_request(actor=manager, request=row, reason=f"r{n}"))
    assert len(extended) == 1 and all(isinstance(f, Conflict) for f in refused)
    row.refresh_from_db()
    assert (row.due_at - row.received_at).days == 35  # 20 days + one extension of 15


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_publications_take_distinct_versions() -> None:
    publish_consent_text(actor=None, purpose="marketing", bodies={"vi": "Bản đầu"})
    results, failures = _race(
        5, lambda n: publish_consent_text(actor=None, purpose="marketing", bodies={"vi": f"B{n}"})
    )
    assert failures == [] and len(results) == 5
    assert sorted(ConsentText.objects.values_list("version", flat=True)) == [1, 2, 3, 4, 5, 6]
