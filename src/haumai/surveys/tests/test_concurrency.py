"""Two submissions of one invitation at the same moment store one response (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.surveys import services
from haumai.surveys.models import Invitation, Response
from haumai.surveys.tests.conftest import ensure_surveys, invite

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_store_one_response(customer: Any) -> None:
    invitation = invite(ensure_surveys()["csat-order"], customer)
    count = 8
    barrier = threading.Barrier(count, timeout=60)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            fresh = Invitation.objects.select_related("survey", "customer").get(pk=invitation.pk)
            barrier.wait()
            results[index] = services.submit_response(invitation=fresh, data={"score": str(1 + index % 5)})
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [r for r in results if isinstance(r, Response)]
    refused = [r for r in results if isinstance(r, services.AlreadyAnswered)]
    assert len(stored) == 1 and len(refused) == count - 1, [repr(r) for r in results]
    assert Response.objects.count() == 1
