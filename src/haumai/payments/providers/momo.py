"""MoMo AIO v2: refund (/v2/gateway/api/refund) and query (/v2/gateway/api/query), HMAC-SHA256.

Request signatures are the documented `key=value&...` strings (keys in alphabetical order, with
accessKey). MoMo's refund and query answers are checked the same way over their own fields; an answer
whose signature does not verify, or an unsigned one while signatures are required, counts as unknown.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from haumai.payments import conf
from haumai.payments.providers.base import FAILED, NOT_FOUND, SUCCEEDED, UNKNOWN, CallResult, post_json

MIN_REFUND_VND = 1_000
MAX_REFUND_VND = 50_000_000

REFUND_REQUEST_KEYS = ("accessKey", "amount", "description", "orderId", "partnerCode", "requestId", "transId")
QUERY_REQUEST_KEYS = ("accessKey", "orderId", "partnerCode", "requestId")
REFUND_RESPONSE_KEYS = (
    "accessKey", "amount", "message", "orderId", "partnerCode", "requestId", "responseTime", "resultCode", "transId",
)  # fmt: skip
QUERY_RESPONSE_KEYS = (
    "accessKey", "amount", "extraData", "message", "orderId", "partnerCode", "payType", "requestId", "responseTime",
    "resultCode", "transId",
)  # fmt: skip

# Codes that do not settle the outcome: duplicates (40 requestId, 41 orderId), 43 a similar transaction
# in progress, 99 unknown error, and the pending codes.
UNKNOWN_CODES = {40, 41, 43, 99, 1000, 7000, 7002, 9000}
NOT_FOUND_CODES = {42}  # orderId not found


def raw_signature(values: dict[str, Any], keys: tuple[str, ...]) -> str:
    """`accessKey=...&amount=...` in the given (alphabetical) key order."""
    merged = {**values, "accessKey": conf.momo_access_key()}
    return "&".join(f"{key}={'' if merged.get(key) is None else merged.get(key)}" for key in keys)


def sign(raw: str) -> str:
    """HMAC-SHA256 hex digest with the secret key."""
    return hmac.new(conf.momo_secret_key().encode(), raw.encode("utf-8"), hashlib.sha256).hexdigest()


def response_signature_valid(body: dict[str, Any], keys: tuple[str, ...]) -> bool | None:
    """True/False when the answer is signed; None when it carries no signature."""
    received = str(body.get("signature") or "")
    if not received:
        return None
    return hmac.compare_digest(received.lower(), sign(raw_signature(body, keys)))


def _check_answer(result: CallResult, answer: dict[str, Any], keys: tuple[str, ...], order_id: str) -> bool:
    """Fill code/message/signature; return whether the answer may be believed."""
    result.signature_valid = response_signature_valid(answer, keys)
    result.code = str(answer.get("resultCode", ""))
    result.message = str(answer.get("message", ""))
    if result.signature_valid is False or (result.signature_valid is None and conf.momo_require_response_signature()):
        state = "does not verify" if result.signature_valid is False else "is missing"
        result.message = f"answer signature {state} (code {result.code}): {result.message}"
        return False
    if str(answer.get("partnerCode")) != conf.momo_partner_code() or str(answer.get("orderId")) != order_id:
        result.message = "answer is about another partner or order"
        return False
    return True


def _code(answer: dict[str, Any]) -> int | None:
    try:
        return int(answer.get("resultCode"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def refund(*, request_id: str, order_id: str, trans_id: str, amount_vnd: int, description: str) -> CallResult:
    """Ask MoMo to refund `amount_vnd` of payment `trans_id`; `order_id` is new for every refund request."""
    body: dict[str, Any] = {
        "partnerCode": conf.momo_partner_code(),
        "orderId": order_id,
        "requestId": request_id,
        "amount": amount_vnd,
        "transId": int(trans_id) if trans_id.isdigit() else trans_id,
        "lang": "vi",
        "description": description[:255],
    }
    body["signature"] = sign(raw_signature(body, REFUND_REQUEST_KEYS))
    status, answer, error = post_json(f"{conf.momo_api_url()}/v2/gateway/api/refund", body)
    result = CallResult(outcome=UNKNOWN, http_status=status, request_body=body, response_body=answer, message=error)
    if error or answer is None or not _check_answer(result, answer, REFUND_RESPONSE_KEYS, order_id):
        return result
    code = _code(answer)
    if code == 0:
        if str(answer.get("amount")) != str(amount_vnd):
            result.message = "answer is about another amount"
            return result
        result.outcome = SUCCEEDED
        result.provider_refund_ref = str(answer.get("transId") or "")
    elif code is not None and code not in UNKNOWN_CODES:
        result.outcome = FAILED
    return result


def query(*, request_id: str, order_id: str, expected_amount_vnd: int) -> CallResult:
    """Ask MoMo what became of the refund sent with `order_id`."""
    body: dict[str, Any] = {
        "partnerCode": conf.momo_partner_code(),
        "requestId": request_id,
        "orderId": order_id,
        "lang": "vi",
    }
    body["signature"] = sign(raw_signature(body, QUERY_REQUEST_KEYS))
    status, answer, error = post_json(f"{conf.momo_api_url()}/v2/gateway/api/query", body)
    result = CallResult(outcome=UNKNOWN, http_status=status, request_body=body, response_body=answer, message=error)
    if error or answer is None or not _check_answer(result, answer, QUERY_RESPONSE_KEYS, order_id):
        return result
    code = _code(answer)
    if code == 0:
        if str(answer.get("amount")) != str(expected_amount_vnd):
            result.message = "answer is about another amount"
            return result
        result.outcome = SUCCEEDED
        result.provider_refund_ref = str(answer.get("transId") or "")
    elif code in NOT_FOUND_CODES:
        result.outcome = NOT_FOUND
    elif code is not None and code not in UNKNOWN_CODES:
        result.outcome = FAILED
    return result
