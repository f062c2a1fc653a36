"""API shapes for payments and refunds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from haumai.core import openapi as doc
from haumai.payments.models import Payment, PaymentMethod, Refund, RefundMethod

_TEXT = {"type": "string", **doc.NOT_BLANK}


class PaymentIn(Schema):
    """A payment; VNPay and MoMo payments need both provider transaction fields."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"method": {"enum": ["cod", "bank_transfer", "cash", "card"]}}},
                {
                    "required": ["provider_transaction_ref", "provider_transaction_no"],
                    "properties": {"provider_transaction_ref": _TEXT, "provider_transaction_no": _TEXT},
                },
            ]
        }
    )
    order: str = Field(max_length=24, description="order code, e.g. ORD-2026-000123")
    method: str = Field(
        max_length=20,
        description="vnpay, momo, cod, bank_transfer, cash or card",
        json_schema_extra=doc.one_of(PaymentMethod.values),
    )
    amount_vnd: int = Field(description="integer VND", json_schema_extra=doc.between(1))
    provider_transaction_ref: str = Field("", max_length=64, description="vnp_TxnRef / MoMo orderId")
    provider_transaction_no: str = Field("", max_length=64, description="vnp_TransactionNo / MoMo transId")
    transaction_date: doc.ClientDateTime | None = None
    paid_at: doc.ClientDateTime | None = None
    idempotency_key: str | None = Field(None, max_length=100)


class PaymentOut(BaseModel):
    id: int
    order: str
    method: str
    amount_vnd: int
    refunded_vnd: int
    provider_transaction_ref: str
    provider_transaction_no: str
    transaction_date: dt.datetime | None
    paid_at: dt.datetime


class RefundIn(Schema):
    """A refund request; a bank transfer needs the bank account (bank, account_number, account_name)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"method": {"enum": ["original", "cash", "store_credit"]}}},
                {
                    "required": ["bank_account"],
                    "properties": {
                        "bank_account": {
                            "type": "object",
                            "required": ["bank", "account_number", "account_name"],
                            "properties": {"bank": _TEXT, "account_number": _TEXT, "account_name": _TEXT},
                        }
                    },
                },
            ]
        }
    )
    order: str = Field(max_length=24, description="order code")
    amount_vnd: int = Field(description="integer VND", json_schema_extra=doc.between(1))
    method: str = Field(
        max_length=20,
        description="original, bank_transfer, cash or store_credit",
        json_schema_extra=doc.one_of(RefundMethod.values),
    )
    reference: str = Field("", max_length=40, description="business document, e.g. the RMA code")
    reason: str = Field("", max_length=2000)
    idempotency_key: str = Field(max_length=100, json_schema_extra=doc.NOT_BLANK)
    bank_account: dict[str, str] | None = Field(None, description="bank, account_number, account_name")


class ConfirmIn(Schema):
    transfer_reference: str = Field(
        max_length=80,
        description="the bank transfer (FT...) or cash receipt reference",
        json_schema_extra=doc.NOT_BLANK,
    )


class AttemptOut(BaseModel):
    number: int
    kind: str
    request_id: str
    outcome: str
    result_code: str
    message: str
    http_status: int | None
    signature_valid: bool | None
    started_at: dt.datetime
    finished_at: dt.datetime | None


class RefundOut(BaseModel):
    code: str
    order: str
    customer: str
    method: str
    amount_vnd: int
    status: str
    reference: str
    reason: str
    provider_refund_ref: str
    transfer_reference: str
    requested_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str


class RefundDetailOut(RefundOut):
    attempts: list[AttemptOut]


class RefundPage(BaseModel):
    items: list[RefundOut]
    next_cursor: str | None


def payment_out(payment: Payment, order_code: str) -> dict[str, Any]:
    """A payment as the API shows it."""
    return {
        "id": payment.pk,
        "order": order_code,
        "method": payment.method,
        "amount_vnd": payment.amount_vnd,
        "refunded_vnd": payment.refunded_vnd,
        "provider_transaction_ref": payment.provider_transaction_ref,
        "provider_transaction_no": payment.provider_transaction_no,
        "transaction_date": payment.transaction_date,
        "paid_at": payment.paid_at,
    }


def refund_out(refund: Refund, attempts: bool = False) -> dict[str, Any]:
    """A refund as the API shows it (bank account details are not exposed)."""
    body: dict[str, Any] = {
        "code": refund.code,
        "order": refund.order.code,
        "customer": refund.customer.code,
        "method": refund.method,
        "amount_vnd": refund.amount_vnd,
        "status": refund.status,
        "reference": refund.reference,
        "reason": refund.reason,
        "provider_refund_ref": refund.provider_refund_ref,
        "transfer_reference": refund.transfer_reference,
        "requested_at": refund.requested_at,
        "sent_at": refund.sent_at,
        "last_error": refund.last_error,
    }
    if attempts:
        body["attempts"] = [
            {
                "number": a.number,
                "kind": a.kind,
                "request_id": a.request_id,
                "outcome": a.outcome,
                "result_code": a.result_code,
                "message": a.message,
                "http_status": a.http_status,
                "signature_valid": a.signature_valid,
                "started_at": a.started_at,
                "finished_at": a.finished_at,
            }
            for a in refund.attempts.all()
        ]
    return body
