"""VNPay merchant_webapi: refund (vnp_Command=refund) and querydr, signed with HMAC-SHA512.

The hash data of each message is its fields' values in VNPay's documented order joined by '|'
(missing values as ''). Every answer's vnp_SecureHash is checked; an answer that does not verify
is treated as unknown (never as success or failure).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from haumai.core.clock import LOCAL_TZ
from haumai.payments import conf
from haumai.payments.providers.base import (
    FAILED,
    NOT_FOUND,
    PROCESSING,
    SUCCEEDED,
    UNKNOWN,
    CallResult,
    post_json,
)

VERSION = "2.1.0"
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
    "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr",
    "vnp_OrderInfo",
)  # fmt: skip
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
REFUND_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo",
)  # fmt: skip
QUERY_RESPONSE_FIELDS = (*REFUND_RESPONSE_FIELDS, "vnp_PromotionCode", "vnp_PromotionAmount")

# Answers that do not say whether money moved: 94 duplicate request, 99 other error.
UNKNOWN_CODES = {"94", "99"}
REFUND_TYPES = {"02", "03"}  # full / partial refund
REFUND_DONE_STATUSES = {"00"}
REFUND_PROCESSING_STATUSES = {"05", "06"}  # VNPay processing / sent to the bank
REFUND_DECLINED_STATUSES = {"09"}


def hash_data(values: dict[str, Any], fields: tuple[str, ...]) -> str:
    """The '|'-joined string VNPay signs, in the documented field order."""
    return "|".join("" if values.get(name) is None else str(values.get(name)) for name in fields)


def secure_hash(secret: str, data: str) -> str:
    """HMAC-SHA512 hex digest of the hash data."""
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def vnpay_datetime(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, the format of every VNPay date."""
    return moment.astimezone(LOCAL_TZ).strftime("%Y%m%d%H%M%S")


def response_signature_valid(body: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """Whether an answer's vnp_SecureHash matches its fields."""
    received = str(body.get("vnp_SecureHash") or "")
    expected = secure_hash(conf.vnpay_hash_secret(), hash_data(body, fields))
    return bool(received) and hmac.compare_digest(received.lower(), expected)


def refund(
    *,
    request_id: str,
    txn_ref: str,
    transaction_no: str,
    transaction_date: dt.datetime,
    amount_vnd: int,
    full: bool,
    created_by: str,
    order_info: str,
    now: dt.datetime,
) -> CallResult:
    """Ask VNPay to refund part or all of a paid transaction."""
    body: dict[str, Any] = {
        "vnp_RequestId": request_id,
        "vnp_Version": VERSION,
        "vnp_Command": "refund",
        "vnp_TmnCode": conf.vnpay_tmn_code(),
        "vnp_TransactionType": "02" if full else "03",
        "vnp_TxnRef": txn_ref,
        "vnp_Amount": amount_vnd * 100,
        "vnp_TransactionNo": transaction_no or "0",
        "vnp_TransactionDate": vnpay_datetime(transaction_date),
        "vnp_CreateBy": created_by[:250],
        "vnp_CreateDate": vnpay_datetime(now),
        "vnp_IpAddr": conf.vnpay_ip_address(),
        "vnp_OrderInfo": order_info[:255],
    }
    body["vnp_SecureHash"] = secure_hash(conf.vnpay_hash_secret(), hash_data(body, REFUND_REQUEST_FIELDS))
    status, answer, error = post_json(conf.vnpay_api_url(), body)
    result = CallResult(outcome=UNKNOWN, http_status=status, request_body=body, response_body=answer, message=error)
    if error or answer is None:
        return result
    result.signature_valid = response_signature_valid(answer, REFUND_RESPONSE_FIELDS)
    result.code = str(answer.get("vnp_ResponseCode", ""))
    result.message = str(answer.get("vnp_Message", ""))
    if not result.signature_valid:
        result.message = f"answer signature does not verify (code {result.code}): {result.message}"
        return result
    if result.code == "00":
        if str(answer.get("vnp_TxnRef")) != txn_ref or str(answer.get("vnp_Amount")) != str(amount_vnd * 100):
            result.message = "answer is about another transaction or amount"
            return result
        result.outcome = SUCCEEDED
        result.provider_refund_ref = str(answer.get("vnp_TransactionNo") or "")
    elif result.code not in UNKNOWN_CODES:
        result.outcome = FAILED
    return result


def query(
    *, request_id: str, txn_ref: str, transaction_date: dt.datetime, expected_amount_vnd: int, now: dt.datetime
) -> CallResult:
    """Ask VNPay (querydr) whether a refund of `expected_amount_vnd` is recorded on a transaction."""
    body: dict[str, Any] = {
        "vnp_RequestId": request_id,
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": conf.vnpay_tmn_code(),
        "vnp_TxnRef": txn_ref,
        "vnp_TransactionDate": vnpay_datetime(transaction_date),
        "vnp_CreateDate": vnpay_datetime(now),
        "vnp_IpAddr": conf.vnpay_ip_address(),
        "vnp_OrderInfo": f"Query {txn_ref}"[:255],
    }
    body["vnp_SecureHash"] = secure_hash(conf.vnpay_hash_secret(), hash_data(body, QUERY_REQUEST_FIELDS))
    status, answer, error = post_json(conf.vnpay_api_url(), body)
    result = CallResult(outcome=UNKNOWN, http_status=status, request_body=body, response_body=answer, message=error)
    if error or answer is None:
        return result
    result.signature_valid = response_signature_valid(answer, QUERY_RESPONSE_FIELDS)
    result.code = str(answer.get("vnp_ResponseCode", ""))
    result.message = str(answer.get("vnp_Message", ""))
    if not result.signature_valid:
        result.message = f"answer signature does not verify (code {result.code}): {result.message}"
        return result
    if result.code == "91":  # the paid transaction is unknown, so no refund of it can exist
        result.outcome = NOT_FOUND
        return result
    if result.code != "00" or str(answer.get("vnp_TxnRef")) != txn_ref:
        return result
    result.outcome = _refund_state(answer, expected_amount_vnd)
    if result.outcome in (SUCCEEDED, PROCESSING):
        result.provider_refund_ref = str(answer.get("vnp_TransactionNo") or "")
    return result


def _refund_state(answer: dict[str, Any], expected_amount_vnd: int) -> str:
    kind = str(answer.get("vnp_TransactionType", ""))
    status = str(answer.get("vnp_TransactionStatus", ""))
    if kind not in REFUND_TYPES:
        return NOT_FOUND  # the transaction carries no refund at all
    if str(answer.get("vnp_Amount")) != str(expected_amount_vnd * 100):
        return UNKNOWN  # a refund of another amount: maybe an earlier one; a person decides
    if status in REFUND_DONE_STATUSES:
        return SUCCEEDED
    if status in REFUND_PROCESSING_STATUSES:
        return PROCESSING
    if status in REFUND_DECLINED_STATUSES:
        return FAILED
    return UNKNOWN
