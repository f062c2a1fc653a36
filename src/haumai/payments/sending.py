"""The worker side of provider refunds: send, and when the answer is lost, ask before anything else.

Rules that keep money from moving twice:
- A refund is marked `sending` with a new attempt, and that is COMMITTED before the provider is called
  (the call runs in `transaction.on_commit` of the scheduler tick).
- The sending lease (`due_at`) is renewed by compare-and-set right before the call (a claim that
  expired while a long batch ran is dropped unsent); if the process dies mid-call the lease runs out
  and the next tick QUERIES.
- After a timeout, 5xx, duplicate, unknown code or an answer whose signature does not verify, the next
  step is always a query. A new refund request is sent only when the provider said no money moved
  (a refusal, or a query that finds no refund). Unanswered queries end in the needs-attention queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.db.models import QuerySet

from haumai.core import clock
from haumai.core.scheduler import DueSource
from haumai.payments import conf
from haumai.payments.models import (
    AttemptKind,
    PaymentMethod,
    Refund,
    RefundAttempt,
    RefundStatus,
)
from haumai.payments.providers import momo, vnpay
from haumai.payments.providers.base import FAILED, NOT_FOUND, PROCESSING, SUCCEEDED, UNKNOWN, CallResult
from haumai.payments.services import emit, mark_sent

logger = logging.getLogger(__name__)

QUERY_BACKOFF_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600)
RESEND_DELAY_SECONDS = 60


def pending() -> QuerySet[Refund]:
    """Refunds the worker has to act on once due."""
    return Refund.objects.filter(status__in=(RefundStatus.REQUESTED, RefundStatus.SENDING), due_at__isnull=False)


def handle(refunds: Sequence[Refund]) -> None:
    """Inside the tick's transaction: start one attempt per refund; the provider call runs after commit."""
    for refund in refunds:
        attempt = start_attempt(refund)
        transaction.on_commit(partial(run_attempt, attempt.pk))


SOURCE = DueSource(name="payments.refunds", pending=pending, handle=handle)


def start_attempt(refund: Refund) -> RefundAttempt:
    """Claim the refund for one provider call (a send when requested, a query when the outcome is unknown)."""
    now = clock.now()
    last_send = refund.attempts.filter(kind=AttemptKind.REFUND).order_by("-number").first()
    last_number = refund.attempts.order_by("-number").values_list("number", flat=True).first() or 0
    if refund.status == RefundStatus.REQUESTED:
        kind = AttemptKind.REFUND
        refund.send_count += 1
        refund.status = RefundStatus.SENDING
    else:
        kind = AttemptKind.QUERY
        refund.query_count += 1
    number = last_number + 1
    if kind == AttemptKind.REFUND:
        provider_order_id = f"{refund.code}-{number}"
    else:
        provider_order_id = last_send.provider_order_id if last_send else ""
    refund.due_at = now + dt.timedelta(seconds=conf.sending_lease_seconds())
    refund.save(update_fields=["status", "send_count", "query_count", "due_at", "updated_at"])
    return RefundAttempt.objects.create(
        refund=refund,
        number=number,
        kind=kind,
        request_id=uuid.uuid4().hex,
        provider_order_id=provider_order_id,
        started_at=now,
    )


def run_attempt(attempt_id: int) -> None:
    """Call the provider (outside any transaction) and apply the answer."""
    attempt = RefundAttempt.objects.select_related("refund__payment", "refund__order").get(pk=attempt_id)
    if not renew_lease(attempt):
        # Claimed too long ago (a long batch): another worker may already be asking the provider about
        # this refund, so calling now could race it. Nothing was sent; the next claim decides again.
        RefundAttempt.objects.filter(pk=attempt.pk).update(
            outcome=UNKNOWN, message="not sent: the claim expired before the call", finished_at=clock.now()
        )
        return
    try:
        result = call_provider(attempt)
    except Exception as exc:
        logger.exception("payments: refund attempt %s raised", attempt_id)
        result = CallResult(outcome=UNKNOWN, message=f"{exc.__class__.__name__}: {exc}"[:2000])
    apply_result(attempt, result)


def renew_lease(attempt: RefundAttempt) -> bool:
    """Compare-and-set: extend this attempt's claim from now, only if it is still current and unexpired."""
    now = clock.now()
    refund = Refund.objects.filter(pk=attempt.refund_id).values("status", "due_at").first()
    latest = RefundAttempt.objects.filter(refund_id=attempt.refund_id).order_by("-number").values("pk").first()
    if refund is None or refund["status"] != RefundStatus.SENDING or latest != {"pk": attempt.pk}:
        return False
    claimed_until = refund["due_at"]
    if claimed_until is None or claimed_until <= now:
        return False
    lease = dt.timedelta(seconds=conf.sending_lease_seconds())
    renewed = Refund.objects.filter(pk=attempt.refund_id, status=RefundStatus.SENDING, due_at=claimed_until)
    return renewed.update(due_at=now + lease) == 1


def call_provider(attempt: RefundAttempt) -> CallResult:
    """One refund or query call to the provider of the refund's payment."""
    refund = attempt.refund
    payment = refund.payment
    if payment is None:
        return CallResult(outcome=FAILED, message="no provider payment to refund")
    now = clock.now()
    paid_on = payment.transaction_date or payment.paid_at
    if payment.method == PaymentMethod.VNPAY:
        if attempt.kind == AttemptKind.REFUND:
            return vnpay.refund(
                request_id=attempt.request_id,
                txn_ref=payment.provider_transaction_ref,
                transaction_no=payment.provider_transaction_no,
                transaction_date=paid_on,
                amount_vnd=refund.amount_vnd,
                full=refund.amount_vnd == payment.amount_vnd,
                created_by=refund.actor_label or "system",
                order_info=f"Hoan tien {refund.code} don {refund.order.code}",
                now=now,
            )
        return vnpay.query(
            request_id=attempt.request_id,
            txn_ref=payment.provider_transaction_ref,
            transaction_date=paid_on,
            expected_amount_vnd=refund.amount_vnd,
            now=now,
        )
    if payment.method == PaymentMethod.MOMO:
        if attempt.kind == AttemptKind.REFUND:
            return momo.refund(
                request_id=attempt.request_id,
                order_id=attempt.provider_order_id,
                trans_id=payment.provider_transaction_no,
                amount_vnd=refund.amount_vnd,
                description=f"Hoan tien {refund.code} don {refund.order.code}",
            )
        if not attempt.provider_order_id:
            return CallResult(outcome=NOT_FOUND, message="no refund request was ever sent")
        return momo.query(
            request_id=attempt.request_id, order_id=attempt.provider_order_id, expected_amount_vnd=refund.amount_vnd
        )
    return CallResult(outcome=FAILED, message=f"payments by {payment.method} cannot be refunded through a provider")


def apply_result(attempt: RefundAttempt, result: CallResult) -> None:
    """Record the answer verbatim and move the refund on, unless a newer attempt took over."""
    now = clock.now()
    with transaction.atomic():
        attempt.outcome = result.outcome
        attempt.result_code = result.code[:20]
        attempt.message = result.message[:2000]
        attempt.http_status = result.http_status
        attempt.signature_valid = result.signature_valid
        attempt.request_body = result.request_body
        attempt.response_body = result.response_body
        attempt.finished_at = now
        attempt.save()
        locked = Refund.objects.select_for_update(of=("self",)).select_related("order", "customer")
        refund = locked.get(pk=attempt.refund_id)
        latest = refund.attempts.order_by("-number").values_list("pk", flat=True).first()
        if refund.status != RefundStatus.SENDING or latest != attempt.pk:
            return
        if result.outcome in (SUCCEEDED, PROCESSING):
            refund.last_error = ""
            mark_sent(refund, provider_refund_ref=result.provider_refund_ref)
        elif result.outcome == FAILED and attempt.kind == AttemptKind.REFUND:
            _fail(refund, f"{result.code} {result.message}".strip())
        elif result.outcome in (FAILED, NOT_FOUND):
            _send_again_or_fail(refund, f"{result.code} {result.message}".strip(), now)
        else:
            _ask_later(refund, f"{result.code} {result.message}".strip(), now)


def _fail(refund: Refund, error: str) -> None:
    refund.status = RefundStatus.FAILED
    refund.due_at = None
    refund.last_error = error[:2000]
    refund.save()
    emit(refund, "refund.failed")


def _send_again_or_fail(refund: Refund, error: str, now: dt.datetime) -> None:
    # The provider confirmed no money moved for the last request: a new request is safe.
    if refund.send_count >= conf.max_send_count():
        _fail(refund, f"no refund recorded after {refund.send_count} requests: {error}")
        return
    refund.status = RefundStatus.REQUESTED
    refund.query_count = 0
    refund.due_at = now + dt.timedelta(seconds=RESEND_DELAY_SECONDS)
    refund.last_error = error[:2000]
    refund.save()


def _ask_later(refund: Refund, error: str, now: dt.datetime) -> None:
    refund.last_error = error[:2000]
    if refund.query_count >= conf.max_query_count():
        refund.status = RefundStatus.NEEDS_ATTENTION
        refund.due_at = None
        refund.save()
        emit(refund, "refund.needs_attention")
        return
    delay = QUERY_BACKOFF_SECONDS[min(refund.query_count, len(QUERY_BACKOFF_SECONDS) - 1)]
    refund.due_at = now + dt.timedelta(seconds=delay)
    refund.save()
