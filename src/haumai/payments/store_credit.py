"""Spending store credit at checkout (POS, website): idempotent by key, never below zero under parallel spends."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, DomainError, FieldError, Forbidden, ValidationFailed
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.payments.models import StoreCreditEntry, StoreCreditKind

MAX_AMOUNT_VND = 100_000_000_000


class NotEnoughStoreCredit(DomainError):
    """The spend is more than the balance; nothing was changed."""

    def __init__(self, balance: int) -> None:
        message = _("Not enough store credit: %(balance)s ₫ available") % {"balance": f"{balance:,}".replace(",", ".")}
        super().__init__(
            message=message,
            code="insufficient_store_credit",
            errors=[FieldError("amount_vnd", message, "insufficient_store_credit")],
            status=409,
        )


def _invalid(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def _same(entry: StoreCreditEntry, customer: Any, amount_vnd: int, reference: str) -> StoreCreditEntry:
    if (entry.customer_id, entry.amount_vnd, entry.kind, entry.reference) != (
        customer.pk,
        -amount_vnd,
        StoreCreditKind.SPEND,
        reference,
    ):
        raise Conflict(_("This idempotency key was used for another request"), code="idempotency_conflict")
    return entry


def spend_store_credit(
    *, customer: Any, amount_vnd: int, order_reference: str, idempotency_key: str, actor: Any
) -> tuple[StoreCreditEntry, bool]:
    """Pay part of an order with store credit: (entry, created). The customer row is locked for the check."""
    if actor is not None and not actor.has_perm("payments.add_storecreditentry"):
        raise Forbidden(
            _("You do not have permission to do this (%(permission)s)")
            % {"permission": "payments.add_storecreditentry"}
        )
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or not 0 < amount_vnd <= MAX_AMOUNT_VND:
        raise _invalid("amount_vnd", _("Give a whole amount of VND greater than 0"), "invalid_amount")
    reference = (order_reference or "").strip()[:40]
    if not reference:
        raise _invalid("order_reference", _("Give the order reference"), "required")
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise _invalid("idempotency_key", _("Send an Idempotency-Key (at most 100 characters)"), "required")
    found = StoreCreditEntry.objects.filter(idempotency_key=key).first()
    if found is not None:
        return _same(found, customer, amount_vnd, reference), False
    try:
        with transaction.atomic():
            query = Customer.objects.filter(pk=customer.pk)
            if connection.features.has_select_for_update:
                query = query.select_for_update(of=("self",))
            query.get()
            found = StoreCreditEntry.objects.filter(idempotency_key=key).first()
            if found is not None:
                return _same(found, customer, amount_vnd, reference), False
            balance = StoreCreditEntry.objects.filter(customer_id=customer.pk).aggregate(t=Sum("amount_vnd"))["t"] or 0
            if amount_vnd > balance:
                raise NotEnoughStoreCredit(int(balance))
            entry = StoreCreditEntry.objects.create(
                customer=customer,
                amount_vnd=-amount_vnd,
                kind=StoreCreditKind.SPEND,
                reference=reference,
                idempotency_key=key,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=clock.now(),
            )
            record_event(
                name="store_credit.spent",
                customer=customer,
                subject=entry,
                actor=actor,
                payload={"amount": amount_vnd, "reference": reference},
            )
    except IntegrityError:
        found = StoreCreditEntry.objects.filter(idempotency_key=key).first()
        if found is None:
            raise
        return _same(found, customer, amount_vnd, reference), False
    return entry, True


def _locked_balance(customer_id: int) -> int:
    query = Customer.objects.filter(pk=customer_id)
    if connection.features.has_select_for_update:
        query = query.select_for_update(of=("self",))
    query.get()
    return int(StoreCreditEntry.objects.filter(customer_id=customer_id).aggregate(t=Sum("amount_vnd"))["t"] or 0)


def credit_cashback(*, customer: Any, amount_vnd: int, reference: str, idempotency_key: str) -> StoreCreditEntry:
    """Released cashback becomes store credit (the system writes it; once per key)."""
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or not 0 < amount_vnd <= MAX_AMOUNT_VND:
        raise _invalid("amount_vnd", _("Give a whole amount of VND greater than 0"), "invalid_amount")
    key = idempotency_key.strip()[:100]
    found = StoreCreditEntry.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found
    with transaction.atomic():
        _locked_balance(customer.pk)
        return StoreCreditEntry.objects.create(
            customer=customer,
            amount_vnd=amount_vnd,
            kind=StoreCreditKind.CASHBACK,
            reference=reference.strip()[:40],
            idempotency_key=key,
            created_at=clock.now(),
        )


def claw_back_cashback(
    *, customer: Any, amount_vnd: int, reference: str, idempotency_key: str
) -> tuple[StoreCreditEntry | None, int]:
    """Take released cashback back, never below a zero balance: (entry or None, amount not recovered)."""
    key = idempotency_key.strip()[:100]
    found = StoreCreditEntry.objects.filter(idempotency_key=key).first()
    if found is not None or amount_vnd <= 0:
        return found, 0
    with transaction.atomic():
        balance = _locked_balance(customer.pk)
        taken = max(0, min(amount_vnd, balance))
        entry = None
        if taken:
            entry = StoreCreditEntry.objects.create(
                customer=customer,
                amount_vnd=-taken,
                kind=StoreCreditKind.CLAWBACK,
                reference=reference.strip()[:40],
                idempotency_key=key,
                created_at=clock.now(),
            )
    return entry, amount_vnd - taken
