"""Reads of payments."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from haumai.core.errors import NotFound
from haumai.payments.models import PROVIDER_METHODS, Payment, Refund, RefundMethod, RefundStatus, StoreCreditEntry

ATTENTION_STATUSES = (RefundStatus.NEEDS_ATTENTION, RefundStatus.AWAITING_CONFIRMATION)


def refunds_for_reference(reference: str) -> list[Refund]:
    """Refunds made for a business document (e.g. an RMA code), oldest first."""
    return list(Refund.objects.filter(reference=reference).select_related("order").order_by("requested_at", "pk"))


def refund_list(
    *, status: str = "", method: str = "", q: str = "", customer_code: str = "", attention: bool = False
) -> QuerySet[Refund]:
    """Refunds newest first, filtered; `q` matches a refund code, reference or order code exactly."""
    refunds = Refund.objects.select_related("order", "customer").order_by("-requested_at", "-id")
    if attention:
        refunds = refunds.filter(status__in=ATTENTION_STATUSES)
    if status:
        refunds = refunds.filter(status=status)
    if method:
        refunds = refunds.filter(method=method)
    if customer_code:
        refunds = refunds.filter(customer__code=customer_code)
    text = q.strip()
    if text:
        refunds = refunds.filter(Q(code=text.upper()) | Q(reference=text) | Q(order__code=text.upper()))
    return refunds


def refund_by_code(code: str) -> Refund:
    """One refund with its order, payment and attempts, or NotFound."""
    refund = (
        Refund.objects.select_related("order", "customer", "payment", "actor", "confirmed_by")
        .prefetch_related("attempts")
        .filter(code=code.strip().upper())
        .first()
    )
    if refund is None:
        raise NotFound(f"No refund {code}")
    return refund


def payments_for_order(order_id: int) -> list[Payment]:
    """An order's payments, oldest first."""
    return list(Payment.objects.filter(order_id=order_id).order_by("paid_at", "pk"))


def payment_for_order(order_id: int) -> Payment | None:
    """The order's first payment (most orders have one)."""
    return Payment.objects.filter(order_id=order_id).order_by("paid_at", "pk").first()


def attention_count() -> int:
    """How many refunds wait for a person."""
    return Refund.objects.filter(status__in=ATTENTION_STATUSES).count()


def store_credit_balance(customer_id: int) -> int:
    """A customer's store credit: the sum of their ledger."""
    total = StoreCreditEntry.objects.filter(customer_id=customer_id).aggregate(total=Sum("amount_vnd"))["total"]
    return int(total or 0)


def store_credit_entries(customer_id: int) -> QuerySet[StoreCreditEntry]:
    """A customer's ledger, newest first."""
    return StoreCreditEntry.objects.filter(customer_id=customer_id).order_by("-created_at", "-pk")


def refund_exists(idempotency_key: str) -> bool:
    """Whether a refund was already requested with this key."""
    return Refund.objects.filter(idempotency_key=(idempotency_key or "").strip()).exists()


def refund_methods_for(order_id: int) -> list[str]:
    """The refund methods that can work for an order: back to the original payment only when it went
    through VNPay or MoMo (a provider can reverse it); bank transfer, cash and store credit always."""
    methods = [RefundMethod.BANK_TRANSFER.value, RefundMethod.CASH.value, RefundMethod.STORE_CREDIT.value]
    if Payment.objects.filter(order_id=order_id, method__in=PROVIDER_METHODS).exists():
        methods.insert(0, RefundMethod.ORIGINAL.value)
    return methods
