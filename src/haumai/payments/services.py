"""Writes of payments: record payments, request and settle refunds, store credit.

Provider refunds are sent by the worker (`haumai.payments.sending`); this module only decides what
may be refunded and records it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, DomainError, FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.payments.models import (
    HOLDING_STATUSES,
    PROVIDER_METHODS,
    Payment,
    PaymentMethod,
    Refund,
    RefundMethod,
    RefundStatus,
    StoreCreditEntry,
    StoreCreditKind,
)
from haumai.payments.providers import momo
from haumai.sales.models import Order

REFUND_CODE_PREFIX = "RF"
MAX_AMOUNT_VND = 100_000_000_000
BANK_ACCOUNT_FIELDS = ("bank", "account_number", "account_name")


class RefundNotAllowed(DomainError):
    """The refund breaks a rule (amount, method, state); nothing was changed."""

    def __init__(self, message: str, field: str = "amount_vnd", code: str = "refund_not_allowed") -> None:
        super().__init__(message=message, code=code, errors=[FieldError(field, message, code)], status=422)


class RequesterMayNotSettle(Forbidden):
    """Separation of duties: the person who requested a refund may not confirm or settle it."""

    def __init__(self) -> None:
        super().__init__(_("You requested this refund; another colleague must confirm or settle it"))
        self.code = "separation_of_duties"


def may_settle(actor: Any, refund: Refund) -> bool:
    """Whether this actor may confirm or settle the refund: anyone but its requester (the system always may)."""
    return not (_is_user(actor) and refund.actor_id is not None and refund.actor_id == actor.pk)


def _require_other_person(actor: Any, refund: Refund) -> None:
    if not may_settle(actor, refund):
        raise RequesterMayNotSettle()


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _actor_label(actor: Any) -> str:
    return actor.get_username() if _is_user(actor) else "system"


def _require(actor: Any, permission: str) -> None:
    # actor=None is the system itself (e.g. a returns rule reacting to a carrier scan).
    if actor is not None and not actor.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": permission})


def _check_amount(amount_vnd: Any, field: str = "amount_vnd") -> int:
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or not 0 < amount_vnd <= MAX_AMOUNT_VND:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError(field, _("Give a whole amount of VND greater than 0"), "invalid_amount")],
        )
    return amount_vnd


def can_approve_amount(actor: Any, amount_vnd: int) -> bool:
    """Whether the actor's role approval limit (goodwill) covers this amount; the system may."""
    if actor is None:
        return True
    if getattr(actor, "is_superuser", False):
        return True
    from haumai.accounts.models import ApprovalLimit

    limit = (
        ApprovalLimit.objects.filter(role__in=actor.groups.all())
        .order_by("-max_goodwill_vnd")
        .values_list("max_goodwill_vnd", flat=True)
        .first()
    )
    return limit is not None and amount_vnd <= limit


def record_payment(
    *,
    order: Order,
    method: str,
    amount_vnd: int,
    provider_transaction_ref: str = "",
    provider_transaction_no: str = "",
    transaction_date: dt.datetime | None = None,
    paid_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    actor: Any = None,
) -> tuple[Payment, bool]:
    """Record money paid for an order; a replay (same key, or same method + provider ref) returns the stored one."""
    errors: list[FieldError] = []
    if method not in PaymentMethod.values:
        allowed = ", ".join(PaymentMethod.values)
        errors.append(
            FieldError(
                "method", _("Unknown payment method (one of: %(allowed)s)") % {"allowed": allowed}, "invalid_choice"
            )
        )
    try:
        _check_amount(amount_vnd)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    reference = (provider_transaction_ref or "").strip()[:64]
    if method in PROVIDER_METHODS:
        if not reference:
            errors.append(FieldError("provider_transaction_ref", _("Required for VNPay and MoMo payments"), "required"))
        if not (provider_transaction_no or "").strip():
            errors.append(FieldError("provider_transaction_no", _("Required for VNPay and MoMo payments"), "required"))
    for name, moment in (("transaction_date", transaction_date), ("paid_at", paid_at)):
        if moment is not None and moment.tzinfo is None:
            errors.append(FieldError(name, _("Give a time zone (e.g. 2026-01-31T10:00:00+07:00)"), "naive_datetime"))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    # Payments arrive with orders (POS, e-commerce): whoever may push orders may record their payments.
    _require(actor, "sales.add_order")
    key = (idempotency_key or "").strip()[:100] or None
    existing = _existing_payment(key, method, reference)
    if existing is not None:
        return _same_payment(existing, order, method, amount_vnd), False
    paid = paid_at or clock.now()
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order,
                method=method,
                amount_vnd=amount_vnd,
                provider_transaction_ref=reference,
                provider_transaction_no=(provider_transaction_no or "").strip()[:64],
                transaction_date=transaction_date or paid,
                paid_at=paid,
                idempotency_key=key,
            )
            record_event(
                name="payment.recorded",
                customer=order.customer,
                subject=payment,
                actor=actor,
                payload={"order_code": order.code, "method": method, "amount": amount_vnd},
            )
    except IntegrityError:
        existing = _existing_payment(key, method, reference)
        if existing is None:
            raise
        return _same_payment(existing, order, method, amount_vnd), False
    return payment, True


def _existing_payment(key: str | None, method: str, reference: str) -> Payment | None:
    if key:
        found = Payment.objects.filter(idempotency_key=key).first()
        if found is not None:
            return found
    if reference:
        return Payment.objects.filter(method=method, provider_transaction_ref=reference).first()
    return None


def _same_payment(payment: Payment, order: Order, method: str, amount_vnd: int) -> Payment:
    if (payment.order_id, payment.method, payment.amount_vnd) != (order.pk, method, amount_vnd):
        raise Conflict(_("This payment was already recorded with other details"), code="idempotency_conflict")
    return payment


def refundable_amount(*, order: Order, payment: Payment | None = None) -> int:
    """What is left to refund: paid minus refunds that moved or may still move money.

    For one payment: its amount minus its refunds. For the order: all payments minus all its refunds.
    Orders from before payments were recorded count as paid in full, except cash on delivery that was
    never delivered (nobody collected the money).
    """
    holding = Refund.objects.filter(status__in=HOLDING_STATUSES)
    if payment is not None:
        used = holding.filter(payment=payment).aggregate(total=Sum("amount_vnd"))["total"] or 0
        return payment.amount_vnd - used
    paid = Payment.objects.filter(order=order).aggregate(total=Sum("amount_vnd"))["total"]
    if paid is None:
        uncollected = order.payment_method == PaymentMethod.COD and order.delivered_at is None
        paid = 0 if uncollected else order.total
    used = holding.filter(order=order).aggregate(total=Sum("amount_vnd"))["total"] or 0
    return paid - used


def request_refund(
    *,
    order: Order,
    amount_vnd: int,
    method: str,
    reference: str,
    reason: str,
    actor: Any,
    idempotency_key: str,
    bank_account: dict[str, Any] | None = None,
) -> Refund:
    """Refund money for an order: through the payment provider (worker), by hand, or as store credit.

    The same idempotency key returns the refund already requested; other content with it is a conflict.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("idempotency_key", _("Give an idempotency key of 1 to 100 characters"), "required")],
        )
    _require(actor, "payments.add_refund")
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_refund(existing, order, amount_vnd, method)
    _check_amount(amount_vnd)
    if method not in RefundMethod.values:
        allowed = ", ".join(RefundMethod.values)
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    "method", _("Unknown refund method (one of: %(allowed)s)") % {"allowed": allowed}, "invalid_choice"
                )
            ],
        )
    account = _bank_account(method, bank_account)
    try:
        with transaction.atomic():
            refund = _create_refund(order, amount_vnd, method, reference, reason, actor, key, account)
    except IntegrityError:
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_refund(existing, order, amount_vnd, method)
    return refund


def _same_refund(refund: Refund, order: Order, amount_vnd: int, method: str) -> Refund:
    if (refund.order_id, refund.amount_vnd, refund.method) != (order.pk, amount_vnd, method):
        raise Conflict(_("This idempotency key was used for another refund"), code="idempotency_conflict")
    return refund


def _bank_account(method: str, bank_account: dict[str, Any] | None) -> dict[str, str]:
    if method != RefundMethod.BANK_TRANSFER:
        return {}
    given = bank_account or {}
    # The short keys (bank, number, name) are what the returns app collects from customers.
    account = {
        name: str(given.get(name) or given.get(name.removeprefix("account_")) or "").strip()[:120]
        for name in BANK_ACCOUNT_FIELDS
    }
    missing = [name for name in BANK_ACCOUNT_FIELDS if not account[name]]
    if missing:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError(f"bank_account.{name}", _("Required for a bank transfer"), "required") for name in missing],
        )
    return account


def _create_refund(
    order: Order,
    amount_vnd: int,
    method: str,
    reference: str,
    reason: str,
    actor: Any,
    key: str,
    account: dict[str, str],
) -> Refund:
    # Lock the order's payments (or the order) so two refunds cannot both take the last đồng.
    payments = list(Payment.objects.select_for_update().filter(order=order).order_by("pk"))
    if not payments:
        Order.objects.select_for_update().filter(pk=order.pk).first()
    payment = _payment_for(method, payments)
    left = refundable_amount(order=order)
    if payment is not None:
        left = min(left, refundable_amount(order=order, payment=payment))
    if amount_vnd > left:
        shown = f"{max(left, 0):,}".replace(",", ".")
        raise RefundNotAllowed(_("At most %(left)s VND is left to refund on this order") % {"left": shown})
    is_momo = method == RefundMethod.ORIGINAL and payment is not None and payment.method == PaymentMethod.MOMO
    if is_momo and not momo.MIN_REFUND_VND <= amount_vnd <= momo.MAX_REFUND_VND:
        raise RefundNotAllowed(_("MoMo refunds must be between 1.000 and 50.000.000 VND"))
    now = clock.now()
    status = {
        RefundMethod.ORIGINAL: RefundStatus.REQUESTED,
        RefundMethod.STORE_CREDIT: RefundStatus.SENT,
    }.get(RefundMethod(method), RefundStatus.AWAITING_CONFIRMATION)
    refund = Refund.objects.create(
        code=next_code(REFUND_CODE_PREFIX),
        order=order,
        payment=payment,
        customer_id=order.customer_id,
        method=method,
        amount_vnd=amount_vnd,
        status=status,
        reference=(reference or "").strip()[:40],
        reason=(reason or "").strip()[:2000],
        idempotency_key=key,
        actor=actor if _is_user(actor) else None,
        actor_label=_actor_label(actor),
        bank_account=account,
        due_at=now if status == RefundStatus.REQUESTED else None,
        requested_at=now,
        sent_at=now if status == RefundStatus.SENT else None,
    )
    emit(refund, "refund.requested", actor)
    if method == RefundMethod.STORE_CREDIT:
        if payment is not None:
            Payment.objects.filter(pk=payment.pk).update(refunded_vnd=F("refunded_vnd") + amount_vnd)
        StoreCreditEntry.objects.create(
            customer_id=order.customer_id,
            amount_vnd=amount_vnd,
            kind=StoreCreditKind.REFUND,
            refund=refund,
            reference=refund.reference,
            reason=refund.reason,
            actor=refund.actor,
            created_at=now,
        )
        emit(refund, "refund.sent", actor)
    return refund


def _payment_for(method: str, payments: list[Payment]) -> Payment | None:
    if method != RefundMethod.ORIGINAL:
        return payments[0] if len(payments) == 1 else None
    providers = [payment for payment in payments if payment.method in PROVIDER_METHODS]
    if not providers:
        raise RefundNotAllowed(
            _("This order was not paid through VNPay or MoMo; refund by bank transfer, cash or store credit"),
            field="method",
            code="method_not_allowed",
        )
    # The provider payment with the most left to refund takes it.
    return max(providers, key=lambda payment: refundable_amount(order=payment.order, payment=payment))


def emit(refund: Refund, name: str, actor: Any = None) -> None:
    """Record a refund.* event with the contract payload."""
    record_event(
        name=name,
        customer=refund.customer,
        subject=refund,
        actor=actor,
        payload={
            "refund_code": refund.code,
            "reference": refund.reference,
            "amount": refund.amount_vnd,
            "method": refund.method,
            "status": refund.status,
            "order_code": refund.order.code,
        },
    )


def _locked(refund: Refund) -> Refund:
    locked = Refund.objects.select_for_update(of=("self",)).select_related("order", "customer", "payment")
    return locked.get(pk=refund.pk)


def mark_sent(
    refund: Refund, *, actor: Any = None, provider_refund_ref: str = "", transfer_reference: str = ""
) -> None:
    """Money moved: set sent, add it to its payment's refunded total, record refund.sent (inside a transaction)."""
    refund.status = RefundStatus.SENT
    refund.sent_at = clock.now()
    refund.due_at = None
    if provider_refund_ref:
        refund.provider_refund_ref = provider_refund_ref[:64]
    if transfer_reference:
        refund.transfer_reference = transfer_reference[:80]
    if _is_user(actor) and refund.method != RefundMethod.ORIGINAL:
        refund.confirmed_by = actor
    refund.save()
    if refund.payment_id is not None:
        Payment.objects.filter(pk=refund.payment_id).update(refunded_vnd=F("refunded_vnd") + refund.amount_vnd)
    emit(refund, "refund.sent", actor)


def confirm_manual_refund(*, refund: Refund, actor: Any, transfer_reference: str) -> Refund:
    """Staff confirm they paid a cash or bank transfer refund (not the person who requested it)."""
    _require(actor, "payments.add_refund")
    text = (transfer_reference or "").strip()
    if not text or len(text) > 80:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("transfer_reference", _("Give the transfer or receipt reference (1-80 characters)"))],
        )
    with transaction.atomic():
        refund = _locked(refund)
        _require_other_person(actor, refund)
        if refund.status != RefundStatus.AWAITING_CONFIRMATION:
            raise RefundNotAllowed(
                _("Only refunds awaiting confirmation can be confirmed (this one is %(status)s)")
                % {"status": refund.get_status_display()},
                field="status",
                code="invalid_state",
            )
        mark_sent(refund, actor=actor, transfer_reference=text)
    return refund


def resolve_refund(*, refund: Refund, actor: Any, outcome: str, note: str, provider_refund_ref: str = "") -> Refund:
    """A person settles a refund the worker could not: 'sent' (checked at the provider), 'failed', or 'query' again.

    Settling ('sent', 'failed') is for someone other than the requester; anyone permitted may 'query'.
    """
    _require(actor, "payments.add_refund")
    note = (note or "").strip()
    if outcome not in ("sent", "failed", "query"):
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("outcome", _("Choose sent, failed or query"))])
    if outcome != "query" and not note:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("note", _("Say what you checked"), "required")]
        )
    allowed = {RefundStatus.NEEDS_ATTENTION}
    if outcome == "failed":
        allowed.add(RefundStatus.AWAITING_CONFIRMATION)
    with transaction.atomic():
        refund = _locked(refund)
        if outcome != "query":  # asking the provider again decides nothing; settling is for someone else
            _require_other_person(actor, refund)
        if refund.status not in allowed:
            raise RefundNotAllowed(
                _("This refund is %(status)s; there is nothing to resolve") % {"status": refund.get_status_display()},
                field="status",
                code="invalid_state",
            )
        refund.last_error = f"{_actor_label(actor)}: {note}"[:2000] if note else refund.last_error
        if outcome == "sent":
            mark_sent(refund, actor=actor, provider_refund_ref=provider_refund_ref.strip())
        elif outcome == "failed":
            refund.status = RefundStatus.FAILED
            refund.due_at = None
            refund.save()
            emit(refund, "refund.failed", actor)
        else:
            refund.status = RefundStatus.SENDING
            refund.query_count = 0
            refund.due_at = clock.now()
            refund.save()
    return refund


def grant_store_credit(
    *, customer: Any, amount_vnd: int, reason: str, actor: Any, idempotency_key: str, reference: str = ""
) -> StoreCreditEntry:
    """Goodwill store credit within the actor's approval limit."""
    _check_amount(amount_vnd)
    _require(actor, "payments.add_refund")
    if not (reason or "").strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give a reason"), "required")])
    if not can_approve_amount(actor, amount_vnd):
        raise Forbidden(_("This amount is above your approval limit; ask a manager"))
    key = (idempotency_key or "").strip()[:100]
    existing = StoreCreditEntry.objects.filter(idempotency_key=key).first() if key else None
    if existing is not None:
        return _same_credit(existing, customer, amount_vnd)
    try:
        with transaction.atomic():
            entry = _write_store_credit(customer, amount_vnd, reason, actor, key, reference)
    except IntegrityError:
        existing = StoreCreditEntry.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return _same_credit(existing, customer, amount_vnd)
    return entry


def _same_credit(entry: StoreCreditEntry, customer: Any, amount_vnd: int) -> StoreCreditEntry:
    if (entry.customer_id, entry.amount_vnd) != (customer.pk, amount_vnd):
        raise Conflict(_("This idempotency key was used for another store credit"), code="idempotency_conflict")
    return entry


def _write_store_credit(
    customer: Any, amount_vnd: int, reason: str, actor: Any, key: str, reference: str
) -> StoreCreditEntry:
    entry = StoreCreditEntry.objects.create(
        customer=customer,
        amount_vnd=amount_vnd,
        kind=StoreCreditKind.GOODWILL,
        reference=(reference or "").strip()[:40],
        reason=reason.strip()[:2000],
        idempotency_key=key or None,
        actor=actor if _is_user(actor) else None,
        created_at=clock.now(),
    )
    record_event(
        name="store_credit.granted",
        customer=customer,
        subject=entry,
        actor=actor,
        payload={"amount": amount_vnd, "reference": entry.reference},
    )
    return entry
