"""Local VNPay (merchant_webapi refund + querydr) and MoMo (refund + query) servers on 127.0.0.1.

They check our signatures with their own implementation of the documented hash strings (VNPay 97,
MoMo 13 when wrong), sign their answers, remember refunds (duplicate vnp_RequestId -> 94, MoMo
duplicate requestId/orderId -> 40/41) and answer queries from what they recorded. Fault modes per
call kind ("vnpay.refund", "vnpay.querydr", "momo.refund", "momo.query"):

- "drop_after_record": the refund is recorded (money moved) and the connection closes unanswered;
- "timeout_after_record": recorded, the answer comes after `slow_seconds` (past the client timeout);
- "timeout": no record, the answer comes too late;
- "http_500": a 500 with an HTML body; "forge": a success answer with a wrong signature, nothing recorded;
- "code:NN": that result code, nothing recorded.

    with local_payments() as pay:
        pay.configure(settings)          # pytest-django settings (or os.environ.update(pay.environ()))
        pay.fail_next("vnpay.refund", "drop_after_record")
        ...
        pay.refunds                      # [RecordedRefund(provider="vnpay", amount_vnd=..., ...)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VNPAY_PATH = "/merchant_webapi/api/transaction"

_VNPAY_REFUND_IN = "vnp_RequestId|vnp_Version|vnp_Command|vnp_TmnCode|vnp_TransactionType|vnp_TxnRef|vnp_Amount|vnp_TransactionNo|vnp_TransactionDate|vnp_CreateBy|vnp_CreateDate|vnp_IpAddr|vnp_OrderInfo"  # noqa: E501
_VNPAY_QUERY_IN = "vnp_RequestId|vnp_Version|vnp_Command|vnp_TmnCode|vnp_TxnRef|vnp_TransactionDate|vnp_CreateDate|vnp_IpAddr|vnp_OrderInfo"  # noqa: E501
_VNPAY_OUT = "vnp_ResponseId|vnp_Command|vnp_ResponseCode|vnp_Message|vnp_TmnCode|vnp_TxnRef|vnp_Amount|vnp_BankCode|vnp_PayDate|vnp_TransactionNo|vnp_TransactionType|vnp_TransactionStatus|vnp_OrderInfo"  # noqa: E501
_VNPAY_QUERY_OUT = _VNPAY_OUT + "|vnp_PromotionCode|vnp_PromotionAmount"
_MOMO_REFUND_IN = "accessKey,amount,description,orderId,partnerCode,requestId,transId"
_MOMO_QUERY_IN = "accessKey,orderId,partnerCode,requestId"
_MOMO_REFUND_OUT = "accessKey,amount,message,orderId,partnerCode,requestId,responseTime,resultCode,transId"
_MOMO_QUERY_OUT = (
    "accessKey,amount,extraData,message,orderId,partnerCode,payType,requestId,responseTime,resultCode,transId"
)


@dataclass
class RecordedRefund:
    """A refund the provider accepted (money moved)."""

    provider: str
    transaction: str  # vnp_TxnRef / MoMo transId of the payment
    amount_vnd: int
    request_id: str
    refund_id: str  # vnp_TransactionNo of the refund / MoMo transId of the refund
    order_id: str = ""  # MoMo orderId of the refund
    full: bool = False


@dataclass
class LocalPayments:
    """State and settings of the local provider servers."""

    vnpay_tmn_code: str = "HAUMAI01"
    vnpay_hash_secret: str = "LOCALVNPAYHASHSECRET0123456789AB"  # noqa: S105 - a local test server
    momo_partner_code: str = "MOMOLOCAL"
    momo_access_key: str = "localaccesskey"
    momo_secret_key: str = "localmomosecretkey0123456789"  # noqa: S105 - a local test server
    slow_seconds: float = 1.5
    base_url: str = ""
    refunds: list[RecordedRefund] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    _faults: dict[str, list[str]] = field(default_factory=dict)
    _request_ids: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _counter: int = 14_000_000

    @property
    def vnpay_url(self) -> str:
        return self.base_url + VNPAY_PATH

    @property
    def momo_url(self) -> str:
        return self.base_url

    def fail_next(self, kind: str, mode: str, times: int = 1) -> None:
        """Make the next `times` calls of a kind ('vnpay.refund', 'momo.query', ...) fail in `mode`."""
        with self._lock:
            self._faults.setdefault(kind, []).extend([mode] * times)

    def environ(self, http_timeout: float = 0.5) -> dict[str, str]:
        """Settings pointing Haumai at these servers."""
        return {
            "HAUMAI_VNPAY_API_URL": self.vnpay_url,
            "HAUMAI_VNPAY_TMN_CODE": self.vnpay_tmn_code,
            "HAUMAI_VNPAY_HASH_SECRET": self.vnpay_hash_secret,
            "HAUMAI_MOMO_API_URL": self.momo_url,
            "HAUMAI_MOMO_PARTNER_CODE": self.momo_partner_code,
            "HAUMAI_MOMO_ACCESS_KEY": self.momo_access_key,
            "HAUMAI_MOMO_SECRET_KEY": self.momo_secret_key,
            "HAUMAI_PAYMENTS_HTTP_TIMEOUT": str(http_timeout),
        }

    def configure(self, settings: Any, http_timeout: float = 0.5) -> None:
        """Apply `environ()` to a (pytest-django) settings object."""
        for name, value in self.environ(http_timeout).items():
            setattr(settings, name, value)

    def _fault(self, kind: str) -> str:
        with self._lock:
            queue = self._faults.get(kind) or []
            return queue.pop(0) if queue else ""

    def _next_number(self) -> str:
        with self._lock:
            self._counter += 1
            return str(self._counter)

    # --- VNPay -------------------------------------------------------------------------------
    def _vnpay_hash(self, values: dict[str, Any], fields: str) -> str:
        data = "|".join("" if values.get(name) is None else str(values[name]) for name in fields.split("|"))
        return hmac.new(self.vnpay_hash_secret.encode(), data.encode(), hashlib.sha512).hexdigest()

    def _vnpay_answer(self, command: str, code: str, message: str, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "vnp_ResponseId": uuid.uuid4().hex,
            "vnp_Command": command,
            "vnp_ResponseCode": code,
            "vnp_Message": message,
            "vnp_TmnCode": self.vnpay_tmn_code,
            **fields,
        }
        out = _VNPAY_QUERY_OUT if command == "querydr" else _VNPAY_OUT
        body["vnp_SecureHash"] = self._vnpay_hash(body, out)
        return body

    def vnpay(self, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Handle one merchant_webapi call; returns (fault mode, answer)."""
        command = str(body.get("vnp_Command", ""))
        kind = "vnpay.querydr" if command == "querydr" else "vnpay.refund"
        fields_in = _VNPAY_QUERY_IN if command == "querydr" else _VNPAY_REFUND_IN
        if not hmac.compare_digest(str(body.get("vnp_SecureHash", "")), self._vnpay_hash(body, fields_in)):
            return "", self._vnpay_answer(command, "97", "Invalid Checksum")
        if body.get("vnp_TmnCode") != self.vnpay_tmn_code:
            return "", self._vnpay_answer(command, "02", "Invalid TmnCode")
        fault = self._fault(kind)
        request_id = str(body.get("vnp_RequestId", ""))
        with self._lock:
            duplicate = request_id in self._request_ids
            self._request_ids.add(request_id)
        if duplicate:
            return fault, self._vnpay_answer(command, "94", "Duplicate request")
        if fault.startswith("code:"):
            return "", self._vnpay_answer(command, fault[5:], "Error")
        txn_ref = str(body.get("vnp_TxnRef", ""))
        now = dt.datetime.now(VN).strftime("%Y%m%d%H%M%S")
        if command == "querydr":
            return fault, self._vnpay_query_answer(txn_ref, now)
        if command != "refund":
            return "", self._vnpay_answer(command, "03", "Invalid command")
        if fault in ("forge", "timeout", "http_500"):
            answer = self._vnpay_answer("refund", "00", "Refund success", vnp_TxnRef=txn_ref)
            return fault, answer
        refund = RecordedRefund(
            provider="vnpay",
            transaction=txn_ref,
            amount_vnd=int(body.get("vnp_Amount", 0)) // 100,
            request_id=request_id,
            refund_id=self._next_number(),
            full=body.get("vnp_TransactionType") == "02",
        )
        with self._lock:
            self.refunds.append(refund)
        return fault, self._vnpay_answer(
            "refund",
            "00",
            "Refund success",
            vnp_TxnRef=txn_ref,
            vnp_Amount=body.get("vnp_Amount"),
            vnp_BankCode="NCB",
            vnp_PayDate=now,
            vnp_TransactionNo=refund.refund_id,
            vnp_TransactionType=body.get("vnp_TransactionType"),
            vnp_TransactionStatus="05",
            vnp_OrderInfo=body.get("vnp_OrderInfo", ""),
        )

    def _vnpay_query_answer(self, txn_ref: str, now: str) -> dict[str, Any]:
        with self._lock:
            done = [r for r in self.refunds if r.provider == "vnpay" and r.transaction == txn_ref]
        latest = done[-1] if done else None
        return self._vnpay_answer(
            "querydr",
            "00",
            "QueryDR Success",
            vnp_TxnRef=txn_ref,
            vnp_Amount=latest.amount_vnd * 100 if latest else 0,
            vnp_BankCode="NCB",
            vnp_PayDate=now,
            vnp_TransactionNo=latest.refund_id if latest else "",
            vnp_TransactionType=("02" if latest.full else "03") if latest else "01",
            vnp_TransactionStatus="00",
            vnp_OrderInfo="",
            vnp_PromotionCode="",
            vnp_PromotionAmount="",
        )

    # --- MoMo --------------------------------------------------------------------------------
    def _momo_sign(self, values: dict[str, Any], keys: str) -> str:
        merged = {**values, "accessKey": self.momo_access_key}
        raw = "&".join(f"{key}={'' if merged.get(key) is None else merged[key]}" for key in keys.split(","))
        return hmac.new(self.momo_secret_key.encode(), raw.encode(), hashlib.sha256).hexdigest()

    def _momo_answer(self, body: dict[str, Any], code: int, message: str, keys: str, **fields: Any) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "partnerCode": self.momo_partner_code,
            "orderId": body.get("orderId"),
            "requestId": body.get("requestId"),
            "amount": fields.pop("amount", body.get("amount", 0)),
            "transId": fields.pop("transId", 0),
            "resultCode": code,
            "message": message,
            "responseTime": int(time.time() * 1000),
            **fields,
        }
        answer["signature"] = self._momo_sign(answer, keys)
        return answer

    def momo(self, path: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Handle one MoMo call; returns (fault mode, answer)."""
        is_query = path.endswith("/query")
        keys_in, keys_out = (_MOMO_QUERY_IN, _MOMO_QUERY_OUT) if is_query else (_MOMO_REFUND_IN, _MOMO_REFUND_OUT)
        extra = {"extraData": "", "payType": "", "lastUpdated": int(time.time() * 1000)} if is_query else {}
        if not hmac.compare_digest(str(body.get("signature", "")), self._momo_sign(body, keys_in)):
            return "", self._momo_answer(body, 13, "Invalid signature", keys_out, **extra)
        fault = self._fault("momo.query" if is_query else "momo.refund")
        if fault.startswith("code:"):
            return "", self._momo_answer(body, int(fault[5:]), "Error", keys_out, **extra)
        request_id = str(body.get("requestId", ""))
        order_id = str(body.get("orderId", ""))
        with self._lock:
            duplicate = request_id in self._request_ids
            self._request_ids.add(request_id)
            existing = next((r for r in self.refunds if r.provider == "momo" and r.order_id == order_id), None)
        if duplicate:
            return fault, self._momo_answer(body, 40, "Duplicated requestId", keys_out, **extra)
        if is_query:
            if existing is None:
                return fault, self._momo_answer(body, 42, "orderId not found", keys_out, amount=0, **extra)
            return fault, self._momo_answer(
                body, 0, "Successful.", keys_out, amount=existing.amount_vnd, transId=int(existing.refund_id), **extra
            )
        if existing is not None:
            return fault, self._momo_answer(body, 41, "Duplicated orderId", keys_out)
        amount = int(body.get("amount", 0))
        if not 1_000 <= amount <= 50_000_000:
            return fault, self._momo_answer(body, 22, "Amount out of range", keys_out)
        if fault in ("forge", "timeout", "http_500"):
            return fault, self._momo_answer(body, 0, "Successful.", keys_out, transId=1)
        refund = RecordedRefund(
            provider="momo",
            transaction=str(body.get("transId", "")),
            amount_vnd=amount,
            request_id=request_id,
            refund_id=self._next_number(),
            order_id=order_id,
        )
        with self._lock:
            self.refunds.append(refund)
        return fault, self._momo_answer(body, 0, "Successful.", keys_out, transId=int(refund.refund_id))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._send(400, {"error": "invalid JSON"})
            return
        with state._lock:
            state.calls.append({"path": self.path, "body": body})
        if self.path == VNPAY_PATH:
            fault, answer = state.vnpay(body)
        elif self.path in ("/v2/gateway/api/refund", "/v2/gateway/api/query"):
            fault, answer = state.momo(self.path, body)
        else:
            self._send(404, {"error": "not found"})
            return
        if fault == "forge":
            for key in ("vnp_SecureHash", "signature"):
                if key in answer:
                    answer[key] = "0" * len(answer[key])
        if fault in ("timeout", "timeout_after_record"):
            state._stop.wait(state.slow_seconds)
        if fault == "drop_after_record":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault == "http_500":
            self._send(500, None)
            return
        self._send(200, answer)

    def _send(self, status: int, body: dict[str, Any] | None) -> None:
        data = json.dumps(body).encode() if body is not None else b"<html><body>Internal Server Error</body></html>"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if body is not None else "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): exactly the lost answer we simulate


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: LocalPayments) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def local_payments(**options: Any) -> Iterator[LocalPayments]:
    """Run the local VNPay + MoMo server for the duration of a block."""
    state = LocalPayments(**options)
    server = _Server(state)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="local-payments", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state._stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
