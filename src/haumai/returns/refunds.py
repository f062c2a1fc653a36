"""Seam to the payments app: refunds for an RMA (reference = RMA code)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.core.errors import DomainError
from haumai.returns.models import Resolution, ReturnRequest

# Our resolution -> the payments app's refund method.
REFUND_METHODS = {
    Resolution.REFUND_ORIGINAL: "original",
    Resolution.BANK_TRANSFER: "bank_transfer",
    Resolution.CASH: "cash",
    Resolution.STORE_CREDIT: "store_credit",
}


def offered_resolutions(order: Any) -> set[str] | None:
    """The refund resolutions that can work for the order's payment, or None when anything may
    (no order, or no payments app to ask). Other resolutions (exchange, repair) are not money."""
    if order is None:
        return None
    try:
        from haumai.payments.selectors import refund_methods_for
    except ImportError:  # pragma: no cover - the payments app is part of the product
        return None
    methods = set(refund_methods_for(order.pk))
    return {resolution for resolution, method in REFUND_METHODS.items() if method in methods}


class PaymentsUnavailable(DomainError):
    """The payments app cannot take refunds."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="payments_unavailable", status=503)


def request_refund(
    *, request: ReturnRequest, amount_vnd: int, actor: Any, attempt: str = "1", method: str | None = None
) -> Any:
    """Ask payments for the refund of an RMA; the same RMA and attempt never refunds twice."""
    from haumai.payments import services as payment_services

    requester = getattr(payment_services, "request_refund", None)
    if requester is None:
        raise PaymentsUnavailable(_("Refunds cannot be sent: the payments module is not available"))
    if request.order is None:
        raise PaymentsUnavailable(_("A refund needs the original order; use store credit for items bought elsewhere"))
    return requester(
        order=request.order,
        amount_vnd=amount_vnd,
        method=method or REFUND_METHODS[Resolution(request.resolution)],
        reference=request.code,
        reason=_("Return %(code)s") % {"code": request.code},
        actor=actor,
        idempotency_key=f"return:{request.code}:refund:{attempt}",
        bank_account=request.bank_account or None,
    )


def refunds_for(request: ReturnRequest) -> list[Any]:
    """The refunds made for an RMA (empty when payments is not available)."""
    from haumai.payments import selectors as payment_selectors

    finder = getattr(payment_selectors, "refunds_for_reference", None)
    return list(finder(request.code)) if finder else []
