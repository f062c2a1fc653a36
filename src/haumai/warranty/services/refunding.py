"""A claim resolved by refund (the unit cannot be repaired or replaced) opens a return in the returns app: the
unit comes back to a store, is received and inspected there, and the return's resolution asks payments for
the refund (VNPay/MoMo to the original payment, bank transfer, cash or store credit: the same code path as
every return), then `return.refunded` (or `return.store_credited`) voids the warranty. One return per claim
(idempotency key); an actor who may approve returns approves it at once (the claim was the decision)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.warranty.models import Claim
from haumai.warranty.services.common import refuse

# What the agent may choose for the money; the returns app's resolutions of the same names.
REFUND_METHODS = ("refund_original", "bank_transfer", "cash", "store_credit")
DEFAULT_METHOD = "refund_original"


def refund_choices(claim: Claim) -> list[tuple[str, str]]:
    """The refund methods the claim's order can take, as (value, label) for the console's select."""
    from haumai.returns.models import Resolution
    from haumai.returns.refunds import offered_resolutions

    line = claim.warranty.order_line
    workable = offered_resolutions(line.order) if line is not None else set()
    return [(m, str(Resolution(m).label)) for m in REFUND_METHODS if workable is None or m in workable]


def refund_key(claim: Claim) -> str:
    """The idempotency key of the claim's return (a replay finds the same return)."""
    return f"warranty-claim-refund-{claim.code}"


def open_refund_return(
    *, actor: Any, claim: Claim, method: str = "", bank_account: dict[str, str] | None = None
) -> Any:
    """Open (or find again) the return that refunds a claim's unit; call inside the claim's transaction.

    The claim's decision is why the unit may come back after the return window: that is an exception the
    returns policy records (`override_note`), so the actor needs the returns override permission and an
    approval limit that covers the price, as for any return outside the policy."""
    from haumai.returns import services as returns_services
    from haumai.returns.models import Condition, Logistics, Reason
    from haumai.returns.refunds import offered_resolutions

    warranty = claim.warranty
    line = warranty.order_line
    if line is None:
        raise refuse(
            "resolution",
            _("No sale of this unit is on record, so the refund cannot go through a return; replace the unit"),
            "no_order",
        )
    if method.strip() != "bank_transfer":
        bank_account = None  # only a bank transfer needs the account (the console sends empty fields)
    workable = offered_resolutions(line.order)
    method = method.strip() or (DEFAULT_METHOD if workable is None or DEFAULT_METHOD in workable else "")
    if method not in REFUND_METHODS:
        raise refuse(
            "refund_method", _("Choose how the money goes back"), "required" if not method else "invalid_choice"
        )
    if workable is not None and method not in workable:
        raise refuse(
            "refund_method",
            _("This order was not paid through VNPay or MoMo: choose bank transfer, cash or store credit"),
            "refund_method_not_possible",
        )
    why = (
        _("Warranty claim %(code)s accepted for a refund: %(note)s")
        % {"code": claim.code, "note": claim.decision_note or claim.description}
    )[:500]
    request, _created = returns_services.create_return(
        actor=actor,
        customer=claim.customer,
        order=line.order,
        lines=[
            returns_services.LineInput(order_line_id=line.pk, serial=warranty.unit.serial, condition=Condition.USED)
        ],
        reason=Reason.DEFECTIVE,
        resolution=method,
        logistics=Logistics.STORE_DROPOFF,
        customer_note=claim.description[:2000],
        bank_account=bank_account,
        override_note=why,
        idempotency_key=refund_key(claim),
    )
    if request.status == "requested" and getattr(actor, "has_perm", lambda _p: False)("returns.approve_returnrequest"):
        # The claim decision is the approval: the customer gets the drop-off code at once.
        request = returns_services.approve_return(
            actor=actor, request=request, note=_("Warranty claim %(code)s") % {"code": claim.code}
        )
    return request
