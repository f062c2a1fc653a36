"""REST API v1: payments (record, idempotent) and refunds (request, list, detail)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.permissions import require
from haumai.payments import selectors, services
from haumai.payments.models import RefundMethod, RefundStatus
from haumai.payments.schemas import (
    ConfirmIn,
    PaymentIn,
    PaymentOut,
    RefundDetailOut,
    RefundIn,
    RefundPage,
    payment_out,
    refund_out,
)
from haumai.sales.selectors import order_by_code

router = Router(tags=["payments"])
MAX_PAGE = 100


class RefundFilters(Schema):
    status: str = Field("", max_length=30, json_schema_extra=doc.one_of(RefundStatus.values, blank=True))
    method: str = Field("", max_length=20, json_schema_extra=doc.one_of(RefundMethod.values, blank=True))
    reference: str = Field("", max_length=40, description="e.g. an RMA code")
    customer: str = Field("", max_length=20, description="customer code")
    cursor: str = Field(
        "",
        max_length=20,
        description="next_cursor of the previous page",
        json_schema_extra={"pattern": r"^[0-9]{0,18}$"},
    )
    limit: int = Field(20, ge=1, le=MAX_PAGE)


def _order(code: str) -> Any:
    try:
        return order_by_code(code)
    except NotFound as exc:  # the body named an order that does not exist: a field error
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("order", _("Unknown order '%(code)s'") % {"code": code}, "unknown_order")],
        ) from exc


@router.post("", response={200: PaymentOut, 201: PaymentOut}, summary="Record a payment for an order (idempotent)")
def record_payment(request: HttpRequest, payload: PaymentIn) -> Status[dict[str, Any]]:
    user = require(request, "sales.add_order")
    order = _order(payload.order)
    payment, created = services.record_payment(
        order=order,
        method=payload.method,
        amount_vnd=payload.amount_vnd,
        provider_transaction_ref=payload.provider_transaction_ref,
        provider_transaction_no=payload.provider_transaction_no,
        transaction_date=payload.transaction_date,
        paid_at=payload.paid_at,
        idempotency_key=payload.idempotency_key,
        actor=user,
    )
    return Status(201 if created else 200, payment_out(payment, order.code))


@router.get("/refunds", response=RefundPage, summary="List refunds, newest first (cursor pagination)")
def list_refunds(request: HttpRequest, filters: Query[RefundFilters]) -> dict[str, Any]:
    require(request, "payments.view_refund")
    refunds = selectors.refund_list(status=filters.status, method=filters.method, customer_code=filters.customer)
    if filters.reference:
        refunds = refunds.filter(reference=filters.reference)
    if filters.cursor:
        if not (filters.cursor.isascii() and filters.cursor.isdigit()) or len(filters.cursor) > 18:
            raise ValidationFailed(
                _("Some fields are invalid"),
                [FieldError("cursor", _("Invalid cursor; use next_cursor from the previous page"), "invalid_cursor")],
            )
        refunds = refunds.filter(pk__lt=int(filters.cursor)).order_by("-pk")
    else:
        refunds = refunds.order_by("-pk")
    rows = list(refunds[: filters.limit + 1])
    page = rows[: filters.limit]
    next_cursor = str(page[-1].pk) if len(rows) > filters.limit else None
    return {"items": [refund_out(refund) for refund in page], "next_cursor": next_cursor}


@router.post("/refunds", response={200: RefundDetailOut, 201: RefundDetailOut}, summary="Request a refund")
def request_refund(request: HttpRequest, payload: RefundIn) -> Status[dict[str, Any]]:
    user = require(request, "payments.add_refund")
    order = _order(payload.order)
    known = selectors.refund_exists(payload.idempotency_key)
    refund = services.request_refund(
        order=order,
        amount_vnd=payload.amount_vnd,
        method=payload.method,
        reference=payload.reference,
        reason=payload.reason,
        actor=user,
        idempotency_key=payload.idempotency_key,
        bank_account=payload.bank_account,
    )
    return Status(200 if known else 201, refund_out(selectors.refund_by_code(refund.code), attempts=True))


@router.get("/refunds/{code}", response=RefundDetailOut, summary="Get a refund with its provider attempts")
def get_refund(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "payments.view_refund")
    return refund_out(selectors.refund_by_code(code), attempts=True)


@router.post(
    "/refunds/{code}/confirm",
    response=RefundDetailOut,
    summary="Confirm a cash or bank transfer refund was paid (only while awaiting confirmation)",
)
def confirm_refund(request: HttpRequest, code: str, payload: ConfirmIn) -> dict[str, Any]:
    user = require(request, "payments.add_refund")
    refund = selectors.refund_by_code(code)
    services.confirm_manual_refund(refund=refund, actor=user, transfer_reference=payload.transfer_reference)
    return refund_out(selectors.refund_by_code(code), attempts=True)
