"""Property: whatever staff and the system do, refunds never exceed what was paid and totals agree."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haumai.core.errors import DomainError
from haumai.payments import selectors
from haumai.payments.models import HOLDING_STATUSES, Payment, Refund, RefundStatus
from haumai.payments.services import confirm_manual_refund, request_refund, resolve_refund

PAID = 1_000_000
ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("request"),
            st.sampled_from(["original", "cash", "bank_transfer", "store_credit"]),
            st.integers(min_value=1, max_value=700_000),
        ),
        st.tuples(st.just("confirm"), st.integers(min_value=0, max_value=20)),
        st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=20)),
    ),
    max_size=12,
)


def _total(queryset: Any) -> int:
    return int(queryset.aggregate(total=Sum("amount_vnd"))["total"] or 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_refund_ledger_invariants(paid_order: Any, make_staff: Any, actions: list[tuple[Any, ...]]) -> None:
    order, payment = paid_order("vnpay", total=PAID)
    staff = make_staff("manager")
    colleague = make_staff("manager")  # the requester may not confirm or settle (separation of duties)
    for number, action in enumerate(actions):
        try:
            if action[0] == "request":
                request_refund(order=order, amount_vnd=action[2], method=action[1], reference="RMA-2026-000001",
                               reason="", actor=staff, idempotency_key=f"{order.pk}-{number}",
                               bank_account={"bank": "ACB", "number": "1", "name": "A"})  # fmt: skip
            else:
                waiting = list(Refund.objects.filter(order=order, status=RefundStatus.AWAITING_CONFIRMATION))
                if not waiting:
                    continue
                refund = waiting[action[1] % len(waiting)]
                if action[0] == "confirm":
                    confirm_manual_refund(refund=refund, actor=colleague, transfer_reference=f"FT{number}")
                else:
                    resolve_refund(refund=refund, actor=colleague, outcome="failed", note="customer changed mind")
        except DomainError as exc:
            assert exc.code == "refund_not_allowed"  # noqa: PT017 - refusals are part of the property
        refunds = Refund.objects.filter(order=order)
        assert _total(refunds.filter(status__in=HOLDING_STATUSES)) <= PAID
        assert Payment.objects.get(pk=payment.pk).refunded_vnd == _total(refunds.filter(status=RefundStatus.SENT))
        credited = _total(refunds.filter(status=RefundStatus.SENT, method="store_credit"))
        assert selectors.store_credit_balance(order.customer_id) == credited
