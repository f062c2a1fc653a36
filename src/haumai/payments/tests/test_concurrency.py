"""Concurrent refund requests and concurrent workers never refund more than was paid, nor twice (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import scheduler
from haumai.core.errors import DomainError
from haumai.payments.models import Payment, Refund, RefundStatus
from haumai.payments.sending import SOURCE
from haumai.payments.services import request_refund

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
def test_racing_refunds_never_exceed_what_was_paid(paid_order: Any) -> None:
    order, _payment = paid_order("vnpay", total=2_000_000)

    def ask(n: int) -> Refund:
        return request_refund(order=order, amount_vnd=600_000, method="cash", reference="RMA-2026-000001",
                              reason="", actor=None, idempotency_key=f"race-{n}")  # fmt: skip

    results, failures = _race(5, ask)
    assert len(results) == 3
    assert all(isinstance(f, DomainError) and f.code == "refund_not_allowed" for f in failures), failures
    assert sum(Refund.objects.values_list("amount_vnd", flat=True)) == 1_800_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_replays_of_one_key_make_one_refund(paid_order: Any) -> None:
    order, _payment = paid_order("momo")

    def ask(_n: int) -> Refund:
        return request_refund(order=order, amount_vnd=100_000, method="original", reference="RMA-2026-000002",
                              reason="", actor=None, idempotency_key="same-key")  # fmt: skip

    results, failures = _race(4, ask)
    assert failures == []
    assert {refund.pk for refund in results} == {Refund.objects.get().pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_send_a_due_refund_once(pay: Any, paid_order: Any) -> None:
    order, payment = paid_order("vnpay")
    refund = request_refund(order=order, amount_vnd=250_000, method="original", reference="RMA-2026-000003",
                            reason="", actor=None, idempotency_key="w-1")  # fmt: skip

    results, failures = _race(3, lambda _n: scheduler.run_source(SOURCE, batch_size=10))
    assert failures == []
    assert sorted(results) == [0, 0, 1]
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT
    assert len(pay.refunds) == 1
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 250_000
