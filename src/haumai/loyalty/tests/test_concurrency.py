"""Parallel spends, redemptions and store credit payments on PostgreSQL: 0 double redemptions, 0 negative balances."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.loyalty import selectors
from haumai.loyalty.models import PointsAllocation, VoucherRedemption
from haumai.loyalty.services import ledger, vouchers
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.payments.models import StoreCreditEntry
from haumai.payments.services import grant_store_credit
from haumai.payments.store_credit import spend_store_credit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
PARALLEL = 10


def _race(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count, timeout=60)
    results: list[Any] = []
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            with clock.frozen(clock.now()):
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


def _campaign(**extra: Any) -> Any:
    now = clock.now()
    fields: dict[str, Any] = {
        "code": "SINHNHAT",
        "name": "Sinh nhật",
        "code_kind": "unique",
        "discount_kind": "amount",
        "amount_vnd": 50_000,
        "percent": 0,
        "max_discount_vnd": 0,
        "min_order_vnd": 0,
        "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=30),
    }
    fields.update(extra)
    return vouchers.create_campaign(actor=None, data=vouchers.CampaignInput(**fields))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_parallel_spends_of_a_balance_that_covers_one(shop: Shop) -> None:
    deliver(shop.an, total=1_000_000)  # 100 points

    def spend(n: int) -> Any:
        return ledger.spend_points(customer=shop.an, points=80, actor=None, idempotency_key=f"s-{n}")

    results, failures = _race(PARALLEL, spend)
    assert len(results) == 1
    assert all(isinstance(f, DomainError) and f.code == "insufficient_points" for f in failures), failures
    assert selectors.balance(shop.an.pk) == 20
    assert sum(a.points for a in PointsAllocation.objects.all()) == 80


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_code_redeemed_by_ten_clients_at_once_is_redeemed_once(shop: Shop) -> None:
    offer = _campaign()
    code = vouchers.issue_for_journey(campaign_code=offer.code, customer=shop.an, reference="b-2026").code

    def use(n: int) -> Any:
        return vouchers.redeem(
            actor=None,
            code=code,
            customer=shop.an,
            order_reference=f"POS-{n}",
            order_total_vnd=500_000,
            idempotency_key=f"k-{n}",
        )

    results, failures = _race(PARALLEL, use)
    assert len(results) == 1 and VoucherRedemption.objects.count() == 1
    assert all(isinstance(f, DomainError) and f.code == "voucher_used_up" for f in failures), failures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_per_customer_limit_holds_across_parallel_codes(shop: Shop) -> None:
    _campaign(code_kind="shared", shared_code="FREESHIP", per_customer_limit=2)

    def use(n: int) -> Any:
        return vouchers.redeem(
            actor=None,
            code="FREESHIP",
            customer=shop.an,
            order_reference=f"W-{n}",
            order_total_vnd=500_000,
            idempotency_key=f"f-{n}",
        )

    results, failures = _race(PARALLEL, use)
    assert len(results) == 2 and VoucherRedemption.objects.filter(customer=shop.an).count() == 2
    assert all(isinstance(f, DomainError) and f.code == "customer_limit_reached" for f in failures), failures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replays_of_one_key_in_parallel_make_one_redemption(shop: Shop) -> None:
    _campaign(code_kind="shared", shared_code="CHAOHE", per_customer_limit=5)

    def use(_n: int) -> Any:
        return vouchers.redeem(
            actor=None,
            code="CHAOHE",
            customer=shop.an,
            order_reference="W-1",
            order_total_vnd=500_000,
            idempotency_key="same",
        )

    results, failures = _race(PARALLEL, use)
    assert failures == [] and {r[0].pk for r in results} == {VoucherRedemption.objects.get().pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_store_credit_spends_never_go_below_zero(shop: Shop) -> None:
    grant_store_credit(customer=shop.an, amount_vnd=250_000, reason="Hoàn tiền", actor=None, idempotency_key="g")

    def pay(n: int) -> Any:
        return spend_store_credit(
            customer=shop.an, amount_vnd=100_000, order_reference=f"POS-{n}", idempotency_key=f"c-{n}", actor=None
        )

    results, failures = _race(PARALLEL, pay)
    assert len(results) == 2
    assert all(isinstance(f, DomainError) and f.code == "insufficient_store_credit" for f in failures), failures
    assert sum(StoreCreditEntry.objects.values_list("amount_vnd", flat=True)) == 50_000


def _cashback_rule() -> Any:
    from haumai.loyalty.services.cashback_rules import CashbackRuleInput, create_rule

    now = clock.now()
    return create_rule(actor=None, data=CashbackRuleInput(
        name="Hoàn 5%", percent=5, cap_vnd=500_000, starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=30),
    ))  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_delivery_events_hold_the_cashback_once(shop: Shop) -> None:
    from haumai.loyalty.models import Cashback
    from haumai.loyalty.services import cashback

    _cashback_rule()
    order = deliver(shop.an, total=1_000_000)
    Cashback.objects.all().delete()  # as if the delivery event had not been handled yet

    results, failures = _race(PARALLEL, lambda _n: cashback.hold_for_order(order=order))
    assert failures == []
    assert Cashback.objects.filter(order=order).count() == 1
    assert sum(len(held) for held in results) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_release_scans_credit_once(shop: Shop) -> None:
    from haumai.core import scheduler
    from haumai.loyalty.models import Cashback

    _cashback_rule()
    for _ in range(5):
        deliver(shop.an, total=1_000_000)
    deliver(shop.binh, total=2_000_000)
    source = next(s for s in scheduler.registered() if s.name == "loyalty.cashback_release")
    clock.freeze(clock.now() + dt.timedelta(days=60))
    try:
        results, failures = _race(PARALLEL, lambda _n: scheduler.run_source(source, batch_size=2))
        assert sum(results) <= 6  # each row handled by one scan at most
    finally:
        clock.freeze(clock.now() - dt.timedelta(days=60))
    assert failures == []
    while scheduler.run_source(source, batch_size=100):
        pass
    assert Cashback.objects.filter(status="released").count() == 6
    assert StoreCreditEntry.objects.filter(kind="cashback").count() == 6
    assert selectors_balance(shop.an.pk) == 250_000 and selectors_balance(shop.binh.pk) == 100_000


def selectors_balance(customer_id: int) -> int:
    from haumai.payments.selectors import store_credit_balance

    return store_credit_balance(customer_id)
