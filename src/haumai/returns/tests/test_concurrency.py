"""Parallel return requests for the same unit or line open at most what is returnable (PostgreSQL)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.returns.models import ReturnLine, ReturnRequest
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_api import body

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")


def in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(index) in `count` threads released together, each with its own connection."""
    barrier = threading.Barrier(count, timeout=60)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as exc:  # a crash is a result to assert on, never a hidden thread death
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def post_return(client: Any, data: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/v1/returns", data=json.dumps(data), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    return response.status_code, response.json()


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_unit_open_one_return(shop: Shop, api_client_for: Any) -> None:
    clients = [api_client_for("agent") for _ in range(10)]
    results = in_parallel(10, lambda index: post_return(clients[index], body(shop), f"unit-{index}"))
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [422] * 9, results
    refused = [answer for status, answer in results if status == 422]
    assert {answer["error"]["fields"][0]["code"] for answer in refused} == {"duplicate_return"}
    assert ReturnRequest.objects.count() == 1
    assert ReturnLine.objects.filter(unit__serial="SN-0001").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_return_more_than_was_bought(shop: Shop, api_client_for: Any) -> None:
    clients = [api_client_for("agent") for _ in range(6)]
    one_case = body(shop, lines=[{"sku": "CASE-1", "quantity": 1}])
    results = in_parallel(6, lambda index: post_return(clients[index], one_case, f"case-{index}"))
    assert sorted(status for status, _body in results) == [201, 201] + [422] * 4, results
    assert sum(ReturnLine.objects.filter(product__sku="CASE-1").values_list("quantity", flat=True)) == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_with_one_key_get_the_stored_answer(shop: Shop, api_client_for: Any) -> None:
    clients = [api_client_for("agent") for _ in range(8)]
    results = in_parallel(8, lambda index: post_return(clients[index], body(shop), "same-key"))
    assert sorted(status for status, _body in results) == [200] * 7 + [201], results
    assert len({answer["code"] for _status, answer in results}) == 1
    assert ReturnRequest.objects.count() == 1
