"""REST API v1: a member's points and tier, the ledger history, earn/spend, voucher redemption, store credit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.permissions import require
from haumai.customers.selectors import customer_by_code
from haumai.loyalty import selectors
from haumai.loyalty.schemas import (
    LoyaltyEarnIn,
    LoyaltyEntryPage,
    LoyaltyMovementOut,
    LoyaltySpendIn,
    LoyaltyStandingOut,
    StoreCreditSpendIn,
    StoreCreditSpendOut,
    VoucherRedeemIn,
    VoucherRedemptionOut,
    entry_out,
)
from haumai.loyalty.services import earning, ledger, vouchers
from haumai.payments import selectors as payment_selectors
from haumai.payments import store_credit
from haumai.sales.selectors import order_by_code

router = Router(tags=["loyalty"])
MAX_PAGE = 100


class LoyaltyHistoryFilters(Schema):
    cursor: str = Field(
        "",
        max_length=18,
        description="next_cursor of the previous page",
        json_schema_extra={"pattern": r"^[0-9]{0,18}$"},
    )
    limit: int = Field(20, ge=1, le=MAX_PAGE)


def _customer(code: str, *, field: str | None = "customer") -> Any:
    try:
        return customer_by_code(code, detail=False)
    except NotFound as exc:
        if field is None:
            raise
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError(field, _("Unknown customer '%(code)s'") % {"code": code}, "unknown_customer")],
        ) from exc


def _key(request: HttpRequest, body_key: str) -> str:
    return request.headers.get("Idempotency-Key", "").strip() or body_key


def _standing_out(customer: Any) -> dict[str, Any]:
    standing = selectors.standing(customer)
    return {
        "customer": customer.code,
        "balance": standing.balance,
        "available": standing.available,
        "expiring_soon": standing.expiring_soon,
        "tier": standing.tier.code,
        "tier_label": str(standing.tier.label),
        "qualifying_spend_vnd": standing.spend_vnd,
        "next_tier": standing.next_tier.code if standing.next_tier else None,
        "to_next_tier_vnd": standing.to_next_vnd,
        "review_at": standing.review_at,
        "store_credit_vnd": payment_selectors.store_credit_balance(customer.pk),
    }


@router.get("/customers/{code}", response=LoyaltyStandingOut, summary="A member's points, tier and store credit")
def get_standing(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "loyalty.view_pointsentry")
    return _standing_out(_customer(code, field=None))


@router.get(
    "/customers/{code}/points",
    response=LoyaltyEntryPage,
    summary="A member's points history, newest first (cursor pagination)",
)
def get_history(request: HttpRequest, code: str, filters: Query[LoyaltyHistoryFilters]) -> dict[str, Any]:
    require(request, "loyalty.view_pointsentry")
    customer = _customer(code, field=None)
    entries = selectors.history(customer.pk).order_by("-pk")
    if filters.cursor:
        if not filters.cursor.isdigit():
            raise ValidationFailed(
                _("Some fields are invalid"),
                [FieldError("cursor", _("Invalid cursor; use next_cursor from the previous page"), "invalid_cursor")],
            )
        entries = entries.filter(pk__lt=int(filters.cursor))
    rows = list(entries[: filters.limit + 1])
    page = rows[: filters.limit]
    next_cursor = str(page[-1].pk) if len(rows) > filters.limit else None
    return {"items": [entry_out(entry) for entry in page], "next_cursor": next_cursor}


@router.post(
    "/points/earn",
    response={200: LoyaltyMovementOut, 201: LoyaltyMovementOut},
    summary="Earn the points of a delivered order (once per order; a repeat returns the same entry)",
)
def earn(request: HttpRequest, payload: LoyaltyEarnIn) -> Status[dict[str, Any]]:
    user = require(request, "loyalty.add_pointsentry")
    try:
        order = order_by_code(payload.order)
    except NotFound as exc:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("order", _("Unknown order '%(code)s'") % {"code": payload.order}, "unknown_order")],
        ) from exc
    known = selectors.earned_for(order) is not None
    entry = earning.earn_for_order(order=order, actor=user)
    body = {"entry": entry_out(entry) if entry else None, "balance": selectors.balance(order.customer_id)}
    return Status(200 if known else 201, body)


@router.post(
    "/points/spend",
    response={200: LoyaltyMovementOut, 201: LoyaltyMovementOut},
    summary="Spend points at checkout (idempotent by Idempotency-Key; 409 when the balance is short)",
)
def spend(request: HttpRequest, payload: LoyaltySpendIn) -> Status[dict[str, Any]]:
    user = require(request, "loyalty.add_pointsentry")
    customer = _customer(payload.customer)
    entry, created = ledger.spend_points(
        customer=customer,
        points=payload.points,
        actor=user,
        idempotency_key=_key(request, payload.idempotency_key),
        order_reference=payload.order_reference,
    )
    return Status(201 if created else 200, {"entry": entry_out(entry), "balance": selectors.balance(customer.pk)})


@router.post(
    "/vouchers/redeem",
    response={200: VoucherRedemptionOut, 201: VoucherRedemptionOut},
    summary="Redeem a voucher on an order (idempotent by Idempotency-Key; atomic under parallel use)",
)
def redeem(request: HttpRequest, payload: VoucherRedeemIn) -> Status[dict[str, Any]]:
    user = require(request, "loyalty.add_voucherredemption")
    customer = _customer(payload.customer)
    redemption, created = vouchers.redeem(
        actor=user,
        code=payload.code,
        customer=customer,
        order_reference=payload.order_reference,
        order_total_vnd=payload.order_total_vnd,
        idempotency_key=_key(request, payload.idempotency_key),
    )
    body = {
        "code": redemption.voucher.code,
        "campaign": redemption.campaign.code,
        "customer": customer.code,
        "order_reference": redemption.order_reference,
        "order_total_vnd": redemption.order_total_vnd,
        "discount_vnd": redemption.discount_vnd,
        "redeemed_at": redemption.created_at,
    }
    return Status(201 if created else 200, body)


@router.post(
    "/store-credit/spend",
    response={200: StoreCreditSpendOut, 201: StoreCreditSpendOut},
    summary="Pay with store credit at checkout (idempotent; 409 when the balance is short)",
)
def spend_store_credit(request: HttpRequest, payload: StoreCreditSpendIn) -> Status[dict[str, Any]]:
    user = require(request, "payments.add_storecreditentry")
    customer = _customer(payload.customer)
    entry, created = store_credit.spend_store_credit(
        customer=customer,
        amount_vnd=payload.amount_vnd,
        order_reference=payload.order_reference,
        idempotency_key=_key(request, payload.idempotency_key),
        actor=user,
    )
    body = {
        "customer": customer.code,
        "spent_vnd": -entry.amount_vnd,
        "reference": entry.reference,
        "balance_vnd": payment_selectors.store_credit_balance(customer.pk),
    }
    return Status(201 if created else 200, body)
