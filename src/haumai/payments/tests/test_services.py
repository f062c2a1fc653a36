"""Refund rules: amounts, methods, idempotency, manual confirmation, store credit, approval limits."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from haumai.events.models import Event
from haumai.payments import selectors
from haumai.payments.models import Payment, Refund, RefundStatus, StoreCreditEntry
from haumai.payments.services import (
    RefundNotAllowed,
    can_approve_amount,
    confirm_manual_refund,
    grant_store_credit,
    record_payment,
    request_refund,
    resolve_refund,
)


def _ask(order: Any, **overrides: Any) -> Refund:
    values: dict[str, Any] = {
        "order": order, "amount_vnd": 300_000, "method": "original", "reference": "RMA-2026-000007",
        "reason": "Broken screen", "actor": None, "idempotency_key": "key-1",
    }  # fmt: skip
    values.update(overrides)
    return request_refund(**values)


def _nothing_changed() -> None:
    assert Refund.objects.count() == 0
    assert not Event.objects.filter(name__startswith="refund.").exists()


@pytest.mark.parametrize("amount", [0, -5, 2_000_001, "100", 1.5, True])
def test_bad_amounts_change_nothing(paid_order: Any, amount: Any) -> None:
    order, _payment = paid_order("vnpay")
    with pytest.raises(DomainError) as error:
        _ask(order, amount_vnd=amount)
    assert error.value.errors and error.value.errors[0].field == "amount_vnd"
    _nothing_changed()


def test_cannot_refund_more_than_is_left_across_refunds(paid_order: Any) -> None:
    order, _payment = paid_order("vnpay")
    _ask(order, amount_vnd=1_500_000, idempotency_key="a")
    _ask(order, amount_vnd=400_000, method="cash", idempotency_key="b")
    with pytest.raises(RefundNotAllowed, match=r"At most 100\.000 VND"):
        _ask(order, amount_vnd=200_000, method="store_credit", idempotency_key="c")
    assert Refund.objects.count() == 2


def test_momo_limits(paid_order: Any) -> None:
    order, _payment = paid_order("momo")
    with pytest.raises(RefundNotAllowed, match=r"between 1\.000 and 50\.000\.000"):
        _ask(order, amount_vnd=999)
    _nothing_changed()


def test_original_method_needs_a_provider_payment(paid_order: Any) -> None:
    order, _payment = paid_order("cod")
    with pytest.raises(RefundNotAllowed, match="not paid through VNPay or MoMo") as error:
        _ask(order)
    assert error.value.errors[0].field == "method"
    _nothing_changed()


def test_unknown_method_and_missing_bank_account(paid_order: Any) -> None:
    order, _payment = paid_order("vnpay")
    with pytest.raises(ValidationFailed):
        _ask(order, method="bitcoin")
    with pytest.raises(ValidationFailed) as error:
        _ask(order, method="bank_transfer", bank_account={"bank": "VCB"})
    assert {e.field for e in error.value.errors} == {"bank_account.account_number", "bank_account.account_name"}
    _nothing_changed()


def test_same_key_returns_the_same_refund_other_content_conflicts(paid_order: Any) -> None:
    order, _payment = paid_order("vnpay")
    first = _ask(order)
    assert _ask(order).pk == first.pk
    with pytest.raises(Conflict):
        _ask(order, amount_vnd=10_000)
    assert Refund.objects.count() == 1
    assert Event.objects.filter(name="refund.requested").count() == 1
    assert first.code.startswith("RF-") and len(first.code) == len("RF-2026-000001")


def test_actor_without_permission_changes_nothing(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("vnpay")
    with pytest.raises(Forbidden):
        _ask(order, actor=make_staff("technician"))
    _nothing_changed()


def test_bank_transfer_waits_for_staff_confirmation(paid_order: Any, make_staff: Any) -> None:
    order, payment = paid_order("cod")
    agent = make_staff("agent")
    refund = _ask(
        order, method="bank_transfer", actor=agent,
        bank_account={"bank": "Vietcombank", "number": "0071000123456", "name": "NGUYEN THI LAN"},
    )  # fmt: skip
    assert refund.status == RefundStatus.AWAITING_CONFIRMATION
    assert refund.bank_account["account_number"] == "0071000123456"
    assert selectors.refund_list(attention=True).get() == refund
    colleague = make_staff("agent")  # the requester may not confirm (separation of duties)
    with pytest.raises(ValidationFailed):
        confirm_manual_refund(refund=refund, actor=colleague, transfer_reference="  ")
    confirm_manual_refund(refund=refund, actor=colleague, transfer_reference="FT2632712345")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT and refund.confirmed_by == colleague
    assert refund.transfer_reference == "FT2632712345"
    with pytest.raises(RefundNotAllowed):
        confirm_manual_refund(refund=refund, actor=colleague, transfer_reference="again")
    names = list(Event.objects.filter(name__startswith="refund.").values_list("name", flat=True).order_by("pk"))
    assert names == ["refund.requested", "refund.sent"]
    event = Event.objects.get(name="refund.sent")
    assert event.payload == {
        "refund_code": refund.code, "reference": "RMA-2026-000007", "amount": 300_000, "method": "bank_transfer",
        "status": "sent", "order_code": order.code,
    }  # fmt: skip
    assert Payment.objects.get(pk=payment.pk).refunded_vnd == 300_000


def test_cash_refund_can_be_cancelled(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("cash")
    manager = make_staff("manager")
    refund = _ask(order, method="cash", actor=manager)
    resolve_refund(refund=refund, actor=make_staff("manager"), outcome="failed", note="Customer chose an exchange")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    assert _ask(order, method="cash", amount_vnd=2_000_000, idempotency_key="k2").status == "awaiting_confirmation"


def test_store_credit_is_immediate_and_the_balance_is_the_ledger(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("momo")
    refund = _ask(order, method="store_credit")
    assert refund.status == RefundStatus.SENT
    assert refund.store_credit_entry.amount_vnd == 300_000
    manager = make_staff("manager")
    grant_store_credit(customer=order.customer, amount_vnd=50_000, reason="Late delivery", actor=manager,
                       idempotency_key="gw-1")  # fmt: skip
    grant_store_credit(customer=order.customer, amount_vnd=50_000, reason="Late delivery", actor=manager,
                       idempotency_key="gw-1")  # fmt: skip
    assert selectors.store_credit_balance(order.customer_id) == 350_000
    assert StoreCreditEntry.objects.count() == 2
    with pytest.raises(Conflict, match="another store credit"):
        grant_store_credit(customer=order.customer, amount_vnd=90_000, reason="Late delivery", actor=manager,
                           idempotency_key="gw-1")  # fmt: skip
    assert selectors.store_credit_balance(order.customer_id) == 350_000


def test_goodwill_above_the_approval_limit_is_refused(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("vnpay")
    agent = make_staff("agent")
    assert can_approve_amount(agent, 500_000) and not can_approve_amount(agent, 500_001)
    assert can_approve_amount(make_staff("manager"), 10_000_000)
    assert not can_approve_amount(make_staff("warehouse"), 1)
    with pytest.raises(Forbidden, match="approval limit"):
        grant_store_credit(customer=order.customer, amount_vnd=600_000, reason="Sorry", actor=agent,
                           idempotency_key="gw-2")  # fmt: skip
    assert StoreCreditEntry.objects.count() == 0


def test_record_payment_is_idempotent_and_validated(make_order: Any, make_staff: Any) -> None:
    order = make_order()
    values: dict[str, Any] = {"order": order, "method": "momo", "amount_vnd": 2_000_000,
                              "provider_transaction_ref": "MM-1", "provider_transaction_no": "4088878653"}  # fmt: skip
    payment, created = record_payment(**values)
    again, created_again = record_payment(**values)
    assert created and not created_again and again.pk == payment.pk
    with pytest.raises(Conflict):
        record_payment(order=order, method="momo", amount_vnd=1, provider_transaction_ref="MM-1",
                       provider_transaction_no="1")  # fmt: skip
    with pytest.raises(ValidationFailed) as error:
        record_payment(order=order, method="vnpay", amount_vnd=0)
    fields = {e.field for e in error.value.errors}
    assert fields == {"amount_vnd", "provider_transaction_ref", "provider_transaction_no"}
    with pytest.raises(Forbidden):
        record_payment(order=order, method="cash", amount_vnd=5, actor=make_staff("warehouse"))
    assert Payment.objects.count() == 1
    assert Event.objects.filter(name="payment.recorded").count() == 1


def test_refunds_for_reference(paid_order: Any) -> None:
    order, _payment = paid_order("vnpay")
    first = _ask(order, idempotency_key="x1", amount_vnd=100_000)
    second = _ask(order, idempotency_key="x2", amount_vnd=100_000, method="store_credit")
    _ask(order, idempotency_key="x3", amount_vnd=100_000, reference="RMA-2026-000008")
    assert selectors.refunds_for_reference("RMA-2026-000007") == [first, second]


def test_orders_without_recorded_payments(make_order: Any) -> None:
    counter = make_order(total=800_000)  # e.g. imported from a store's POS before payments were recorded
    assert request_refund(order=counter, amount_vnd=800_000, method="cash", reference="", reason="", actor=None,
                          idempotency_key="old-1").status == RefundStatus.AWAITING_CONFIRMATION  # fmt: skip
    undelivered_cod = make_order(total=500_000)
    undelivered_cod.payment_method = "cod"
    undelivered_cod.save()
    with pytest.raises(RefundNotAllowed, match="At most 0 VND"):
        request_refund(order=undelivered_cod, amount_vnd=1_000, method="store_credit", reference="", reason="",
                       actor=None, idempotency_key="old-2")  # fmt: skip
