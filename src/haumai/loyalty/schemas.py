"""API shapes of loyalty (class names are unique across the API: they become OpenAPI components)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from haumai.core import openapi as doc
from haumai.loyalty.models import EntryKind, PointsEntry

MAX_POINTS = 1_000_000_000
MAX_VND = 100_000_000_000
_KEY = Field(
    min_length=1,
    max_length=100,
    description="idempotency key: a replay returns the first answer",
    json_schema_extra=doc.NOT_BLANK,
)
_CUSTOMER = Field(
    min_length=1, max_length=20, description="customer code, e.g. KH-2026-000123", json_schema_extra=doc.NOT_BLANK
)
_REFERENCE = Field(
    min_length=1, max_length=40, description="the POS or website order reference", json_schema_extra=doc.NOT_BLANK
)


class LoyaltyStandingOut(BaseModel):
    customer: str
    balance: int = Field(description="points: the sum of the ledger")
    available: int = Field(description="points spendable now (unexpired, less any debt)")
    expiring_soon: int = Field(description="points expiring in the next 30 days")
    tier: str
    tier_label: str
    qualifying_spend_vnd: int
    next_tier: str | None
    to_next_tier_vnd: int
    review_at: dt.datetime | None
    store_credit_vnd: int


class LoyaltyEntryOut(BaseModel):
    id: int
    kind: str = Field(json_schema_extra=doc.one_of(EntryKind.values))
    points: int
    order: str | None
    reference: str
    expires_at: dt.datetime | None
    created_at: dt.datetime


class LoyaltyEntryPage(BaseModel):
    items: list[LoyaltyEntryOut]
    next_cursor: str | None


class LoyaltyEarnIn(Schema):
    order: str = Field(
        min_length=1, max_length=24, description="a delivered order's code", json_schema_extra=doc.NOT_BLANK
    )


class LoyaltySpendIn(Schema):
    customer: str = _CUSTOMER
    points: int = Field(ge=1, le=MAX_POINTS)
    order_reference: str = _REFERENCE
    idempotency_key: str = _KEY


class LoyaltyMovementOut(BaseModel):
    """A ledger entry written (or found again by its key) and the balance after it."""

    entry: LoyaltyEntryOut | None
    balance: int


class VoucherRedeemIn(Schema):
    code: str = Field(min_length=1, max_length=40, description="voucher code", json_schema_extra=doc.NOT_BLANK)
    customer: str = _CUSTOMER
    order_reference: str = _REFERENCE
    order_total_vnd: int = Field(ge=0, le=MAX_VND, description="order total before the voucher, integer VND")
    idempotency_key: str = _KEY


class VoucherRedemptionOut(BaseModel):
    code: str
    campaign: str
    customer: str
    order_reference: str
    order_total_vnd: int
    discount_vnd: int
    redeemed_at: dt.datetime


class StoreCreditSpendIn(Schema):
    customer: str = _CUSTOMER
    amount_vnd: int = Field(ge=1, le=MAX_VND)
    order_reference: str = _REFERENCE
    idempotency_key: str = _KEY


class StoreCreditSpendOut(BaseModel):
    customer: str
    spent_vnd: int
    reference: str
    balance_vnd: int


def entry_out(entry: PointsEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "points": entry.points,
        "order": entry.order.code if entry.order is not None else None,
        "reference": entry.reference,
        "expires_at": entry.expires_at if entry.points > 0 else None,
        "created_at": entry.created_at,
    }
