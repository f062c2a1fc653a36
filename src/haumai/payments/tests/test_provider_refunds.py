"""Refunds through VNPay and MoMo against the local provider servers: sent once, reconciled by query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.events.models import Event
from haumai.payments.models import AttemptKind, Payment, Refund, RefundStatus
from haumai.payments.services import request_refund, resolve_refund

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def _refund(order: Any, amount: int = 500_000, key: str = "k1", actor: Any = None) -> Refund:
    return request_refund(
        order=order, amount_vnd=amount, method="original", reference="RMA-2026-000001", reason="Defective",
        actor=actor, idempotency_key=key,
    )  # fmt: skip


def _events(refund: Refund) -> list[str]:
    return list(Event.objects.filter(subject_type="payments.refund", subject_id=str(refund.pk)).values_list("name", flat=True).order_by("pk"))  # noqa: E501


@pytest.mark.parametrize("method", ["vnpay", "momo"])
def test_refund_goes_through_once(pay: Any, paid_order: Any, run_worker: Any, method: str) -> None:
    clock.freeze(NOW)
    order, payment = paid_order(method)
    refund = _refund(order)
    assert refund.status == RefundStatus.REQUESTED

    run_worker()

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT
    assert [r.amount_vnd for r in pay.refunds] == [500_000]
    assert refund.provider_refund_ref == pay.refunds[0].refund_id
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 500_000
    assert _events(refund) == ["refund.requested", "refund.sent"]
    attempt = refund.attempts.get()
    assert attempt.signature_valid is True and attempt.outcome == "succeeded" and attempt.response_body
    run_worker()  # nothing due: nothing sent again
    assert len(pay.refunds) == 1


def test_vnpay_request_signature_matches_documented_order(pay: Any, paid_order: Any, run_worker: Any) -> None:
    import hashlib
    import hmac

    clock.freeze(NOW)
    order, _payment = paid_order("vnpay")
    _refund(order, amount=2_000_000)
    run_worker()
    body = pay.calls[0]["body"]
    data = "|".join(
        str(body[name])
        for name in (
            "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
            "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
            "vnp_IpAddr", "vnp_OrderInfo",
        )
    )  # fmt: skip
    assert body["vnp_SecureHash"] == hmac.new(pay.vnpay_hash_secret.encode(), data.encode(), hashlib.sha512).hexdigest()
    assert body["vnp_Amount"] == 200_000_000 and body["vnp_TransactionType"] == "02"
    assert body["vnp_TransactionDate"] == "20261101163000"  # 09:30 UTC in GMT+7


@pytest.mark.parametrize("method", ["vnpay", "momo"])
@pytest.mark.parametrize("fault", ["drop_after_record", "timeout_after_record"])
def test_lost_answer_after_money_moved_is_reconciled_by_query(
    pay: Any, paid_order: Any, run_worker: Any, method: str, fault: str
) -> None:
    clock.freeze(NOW)
    order, payment = paid_order(method)
    refund = _refund(order)
    pay.fail_next(f"{method}.refund", fault)

    run_worker()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENDING
    assert refund.attempts.get().outcome == "unknown"
    assert len(pay.refunds) == 1  # the money moved

    clock.advance(dt.timedelta(minutes=1))
    run_worker()

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT
    assert [a.kind for a in refund.attempts.all()] == [AttemptKind.REFUND, AttemptKind.QUERY]
    assert len(pay.refunds) == 1  # never twice
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 500_000


@pytest.mark.parametrize("method", ["vnpay", "momo"])
@pytest.mark.parametrize("fault", ["http_500", "timeout", "forge"])
def test_no_money_moved_query_says_so_then_sent_again(
    pay: Any, paid_order: Any, run_worker: Any, method: str, fault: str
) -> None:
    clock.freeze(NOW)
    order, _payment = paid_order(method)
    refund = _refund(order)
    pay.fail_next(f"{method}.refund", fault)

    run_worker()  # refund call: unknown outcome (5xx / timeout / forged success)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENDING and pay.refunds == []
    if fault == "forge":
        assert refund.attempts.get().signature_valid is False

    clock.advance(dt.timedelta(minutes=1))
    run_worker()  # query: no refund recorded -> safe to send again later
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED

    clock.advance(dt.timedelta(minutes=2))
    run_worker()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT
    assert len(pay.refunds) == 1
    assert [a.kind for a in refund.attempts.all()] == ["refund", "query", "refund"]
    assert len({a.request_id for a in refund.attempts.all()}) == 3


def test_duplicate_request_94_is_never_taken_as_failure(pay: Any, paid_order: Any, run_worker: Any) -> None:
    clock.freeze(NOW)
    order, _payment = paid_order("vnpay")
    refund = _refund(order)
    pay.fail_next("vnpay.refund", "code:94")
    run_worker()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENDING
    assert refund.attempts.get().result_code == "94"


@pytest.mark.parametrize(("method", "code"), [("vnpay", "91"), ("momo", "1080")])
def test_provider_refusal_fails_the_refund(pay: Any, paid_order: Any, run_worker: Any, method: str, code: str) -> None:
    clock.freeze(NOW)
    order, payment = paid_order(method)
    refund = _refund(order)
    pay.fail_next(f"{method}.refund", f"code:{code}")
    run_worker()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    assert _events(refund)[-1] == "refund.failed"
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 0
    # The failed refund no longer holds the money: it may be refunded again.
    again = _refund(order, amount=2_000_000, key="k2")
    assert again.status == RefundStatus.REQUESTED


def test_wrong_secret_is_rejected_by_the_provider(pay: Any, paid_order: Any, run_worker: Any, settings: Any) -> None:
    clock.freeze(NOW)
    settings.HAUMAI_VNPAY_HASH_SECRET = "not-the-secret"
    order, _payment = paid_order("vnpay")
    refund = _refund(order)
    run_worker()
    attempt = refund.attempts.get()
    # VNPay answers 97 signed with its secret, which we cannot verify: outcome unknown, never "failed".
    assert attempt.result_code == "97" and attempt.signature_valid is False
    assert pay.refunds == []


def test_unanswered_queries_end_in_the_attention_queue(
    pay: Any, paid_order: Any, run_worker: Any, settings: Any, make_staff: Any
) -> None:
    settings.HAUMAI_PAYMENTS_MAX_QUERIES = 2
    clock.freeze(NOW)
    order, payment = paid_order("momo")
    refund = _refund(order)
    pay.fail_next("momo.refund", "drop_after_record")
    pay.fail_next("momo.query", "http_500", times=2)
    for _ in range(4):
        run_worker()
        clock.advance(dt.timedelta(hours=4))
    refund.refresh_from_db()
    assert refund.status == RefundStatus.NEEDS_ATTENTION
    assert "refund.needs_attention" in _events(refund)
    assert len(pay.refunds) == 1

    manager = make_staff("manager")
    resolve_refund(refund=refund, actor=manager, outcome="query", note="")
    run_worker()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT and len(pay.refunds) == 1
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 500_000


def test_worker_crash_mid_call_queries_after_the_lease(pay: Any, paid_order: Any, run_worker: Any) -> None:
    from haumai.core import scheduler
    from haumai.payments.sending import SOURCE

    clock.freeze(NOW)
    order, _payment = paid_order("vnpay")
    refund = _refund(order)
    scheduler.run_source(SOURCE, batch_size=10)  # committed as sending; the call never ran (process died)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENDING
    run_worker()  # lease not over: nothing happens
    assert refund.attempts.count() == 1
    clock.advance(dt.timedelta(minutes=6))
    run_worker()
    refund.refresh_from_db()
    assert refund.attempts.last().kind == "query"  # asks first
    assert refund.status == RefundStatus.REQUESTED and pay.refunds == []


def test_a_claim_that_expired_before_its_call_is_not_sent(pay: Any, paid_order: Any) -> None:
    from django.db import transaction

    from haumai.payments.sending import run_attempt, start_attempt

    clock.freeze(NOW)
    order, _payment = paid_order("momo")
    refund = _refund(order)
    with transaction.atomic():
        attempt = start_attempt(Refund.objects.get(pk=refund.pk))
    clock.advance(dt.timedelta(minutes=10))  # the batch ran long: the claim is over
    run_attempt(attempt.pk)
    assert pay.calls == [] and pay.refunds == []
    attempt.refresh_from_db()
    assert attempt.outcome == "unknown" and "claim expired" in attempt.message
