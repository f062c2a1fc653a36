"""One threaded HTTP server on 127.0.0.1 that answers like GHN, GHTK, Viettel Post, J&T and Ninja Van.

Paths are the carriers' documented paths below `/<carrier>`; answers use the documented shapes, errors
included. Faults can be queued per carrier (timeout, 5xx, documented error payload). Every request is
recorded. Authentication is checked the way each carrier does (token headers, J&T digest, OAuth bearer).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

logger = logging.getLogger(__name__)


@dataclass
class RecordedRequest:
    carrier: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class CarrierState:
    """What the fake carrier remembers: orders by its code, and our client order codes."""

    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_client_code: dict[str, str] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    # Ward names (2025 units) this carrier does not serve: fee queries for them say so.
    unserved_wards: set[str] = field(default_factory=set)


# GHN's pickup shifts (v2/shift/date): id, title, from/to seconds of the day.
GHN_SHIFTS = (
    (2, "Ca lấy sáng (7h00 - 12h00)", 7 * 3600, 12 * 3600),
    (3, "Ca lấy chiều (12h00 - 18h00)", 12 * 3600, 18 * 3600),
    (4, "Ca lấy tối (18h00 - 21h00)", 18 * 3600, 21 * 3600),
)
# Fee of the first kilogram per carrier, and each started kilogram after it (VND).
FEE_BASE = {"ghn": 22000, "ghtk": 30400, "viettel_post": 25000, "jt": 24000, "ninjavan": 26000}
FEE_PER_KG = 5000


def local_fee(carrier: str, weight_grams: float) -> int:
    """What the local carrier quotes for a parcel of this weight (tests compute the same)."""
    extra_kg = max(0, (int(weight_grams) - 1) // 1000)
    return FEE_BASE[carrier] + FEE_PER_KG * extra_kg


ERRORS: dict[str, tuple[int, dict[str, Any]]] = {
    "ghn": (
        400,
        {
            "code": 400,
            "message": "Số điện thoại người nhận không hợp lệ",
            "data": None,
            "code_message": "PHONE_INVALID",
        },
    ),
    "ghtk": (
        200,
        {"success": False, "message": "Địa chỉ lấy hàng không hợp lệ", "error": {"code": "PICK_ADDRESS_INVALID"}},
    ),
    "viettel_post": (200, {"status": 205, "error": True, "message": "Sai thông tin địa chỉ người nhận", "data": None}),
    "jt": (200, {"code": "145003030", "msg": "receiver mobile is illegal", "data": None}),
    "ninjavan": (
        400,
        {
            "error": {
                "code": 2103,
                "request_id": "f7c4b3d2",
                "title": "REQUEST_ERR",
                "message": "Invalid request",
                "details": [{"reason": "INVALID_FIELD", "field": "to.phone_number", "message": "invalid phone"}],
            }
        },
    ),
}


class CarrierServer:
    """The server; use through `LocalCarriers` (see `haumai.testing.carriers`)."""

    def __init__(self, credentials: dict[str, dict[str, str]], *, timeout_seconds: float = 2.0) -> None:
        self.credentials = credentials
        self.timeout_seconds = timeout_seconds
        self.requests: list[RecordedRequest] = []
        self.state = {c: CarrierState() for c in ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._tokens: set[str] = set()
        self._query: dict[str, str] = {}  # the query string of the request being answered (under the lock)
        self.webhook_secrets: dict[str, str] = {}  # set by LocalCarriers; used by the sandbox push
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="local-carriers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                carrier, _, rest = parts.path.lstrip("/").partition("/")
                headers = {k.lower(): v for k, v in self.headers.items()}
                if carrier == "_sandbox":
                    status, answer = server.sandbox(self.command, "/" + rest, body)
                    self._reply(status, answer)
                    return
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                server.requests.append(RecordedRequest(carrier, self.command, "/" + rest, headers, body, query))
                status, answer = server.answer(carrier, self.command, "/" + rest, headers, body, query)
                if status == 0:  # a timeout: say nothing for longer than the client waits, then hang up
                    time.sleep(server.timeout_seconds)
                    return
                self._reply(status, answer)

            def _reply(self, status: int, answer: Any) -> None:
                raw = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                kind = "text/html" if isinstance(answer, bytes) else "application/json; charset=utf-8"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_DELETE = _serve

        return Handler

    # -- sandbox control (the offline demo: a person makes the carrier report a status) ---------------
    def sandbox(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        """POST /_sandbox/push {carrier, tracking_code, raw_code, hooks_prefix}: send that carrier's webhook.

        Answers 202 at once and posts the webhook from a thread a moment later, because the caller is
        usually the Haumai web process that will also receive the webhook.
        """
        from haumai.testing.carriers.webhooks import build_webhook, post_webhook

        if method != "POST" or path != "/push":
            return 404, {"message": "only POST /_sandbox/push"}
        try:
            data = json.loads(body or b"{}")
            carrier, tracking, raw_code, prefix = (
                str(data["carrier"]), str(data["tracking_code"]), str(data["raw_code"]), str(data["hooks_prefix"])
            )
        except (ValueError, KeyError, TypeError):
            return 400, {"message": "send JSON with carrier, tracking_code, raw_code and hooks_prefix"}
        if carrier not in self.state or not prefix.startswith(("http://", "https://")):
            return 400, {"message": "unknown carrier or hooks_prefix is not an http(s) URL"}
        request = build_webhook(carrier, tracking, raw_code, secrets=self.webhook_secrets)

        def send() -> None:
            time.sleep(0.3)
            try:
                post_webhook(request, prefix)
            except Exception:
                logger.exception("sandbox: webhook to %s failed", prefix)

        threading.Thread(target=send, name="sandbox-webhook", daemon=True).start()
        return 202, {"accepted": True}

    # -- dispatch ---------------------------------------------------------------------------------
    def answer(
        self, carrier: str, method: str, path: str, headers: dict[str, str], body: bytes, query: dict[str, str]
    ) -> tuple[int, Any]:
        state = self.state.get(carrier)
        if state is None:
            return 404, {"message": f"unknown carrier {carrier}"}
        with self._lock:
            fault = state.faults.pop(0) if state.faults else ""
        if fault == "timeout":
            return 0, None
        if fault == "5xx":
            return 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        if fault == "error":
            return ERRORS[carrier]
        handler = getattr(self, f"_{carrier}")
        with self._lock:
            self._query = query
            result: tuple[int, Any] = handler(state, method, path, headers, body)
            return result

    def _next(self) -> int:
        return next(self._numbers)

    # -- GHN ----------------------------------------------------------------------------------------
    def _ghn(
        self, state: CarrierState, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if headers.get("token") != self.credentials["ghn"]["token"]:
            return 401, {"code": 401, "message": "Token is not valid", "data": None}
        data = json.loads(body or b"{}")
        if path == "/v2/shift/date":
            shifts = [{"id": i, "title": t, "from_time": f, "to_time": e} for i, t, f, e in GHN_SHIFTS]
            return 200, {"code": 200, "message": "Success", "data": shifts}
        if path == "/v2/shipping-order/fee":
            if not data.get("to_ward_name") or not data.get("to_province_name") or not data.get("weight"):
                return 400, {"code": 400, "message": "to_ward_name is required", "data": None,
                             "code_message": "USER_ERR_COMMON"}  # fmt: skip
            if {data.get("from_ward_name"), data.get("to_ward_name")} & state.unserved_wards:
                return 400, {"code": 400, "message": "route not found service", "data": None,
                             "code_message": "ROUTE_NOT_FOUND"}  # fmt: skip
            total = local_fee("ghn", data["weight"])
            return 200, {"code": 200, "message": "Success", "data": {
                "total": total, "service_fee": total, "insurance_fee": 0, "pick_station_fee": 0,
                "coupon_value": 0, "r2s_fee": 0}}  # fmt: skip
        if path == "/v2/shipping-order/create":
            missing = [f for f in ("to_name", "to_phone", "to_address", "weight") if not data.get(f)]
            if missing:
                return 400, {
                    "code": 400,
                    "message": f"{missing[0]} is required",
                    "data": None,
                    "code_message": "USER_ERR_COMMON",
                }
            client_code = data.get("client_order_code", "")
            if client_code and client_code in state.by_client_code:
                return 400, {
                    "code": 400,
                    "message": "Mã đơn hàng của shop đã tồn tại",
                    "data": None,
                    "code_message": "ORDER_CODE_EXIST",
                }
            code = f"GHN{self._next():05d}VN"
            state.orders[code] = {"status": "ready_to_pick", "request": data}
            state.by_client_code[client_code] = code
            return 200, {
                "code": 200,
                "message": "Success",
                "data": {
                    "order_code": code,
                    "sort_code": "19-70-07",
                    "trans_type": "truck",
                    "fee": {
                        "main_service": 22000,
                        "insurance": 0,
                        "station_do": 0,
                        "station_pu": 0,
                        "return": 0,
                        "r2s": 0,
                    },
                    "total_fee": 22000,
                    "expected_delivery_time": "2026-11-25T16:59:59Z",
                },
                "message_display": "Tạo đơn hàng thành công. Mã đơn hàng: " + code,
            }
        if path == "/v2/a5/gen-token":
            return 200, {"code": 200, "message": "Success", "data": {"token": hashlib.sha1(body).hexdigest()}}  # noqa: S324
        if path == "/v2/switch-status/cancel":
            results = []
            for code in data.get("order_codes", []):
                order = state.orders.get(code)
                ok = order is not None and order["status"] in ("ready_to_pick", "picking")
                if ok and order is not None:
                    order["status"] = "cancel"
                results.append({"order_code": code, "result": ok, "message": "OK" if ok else "Đơn hàng không thể hủy"})
            if not all(r["result"] for r in results):
                return 400, {"code": 400, "message": results[0]["message"], "data": results}
            return 200, {"code": 200, "message": "Success", "data": results}
        return 404, {"code": 404, "message": "Not Found", "data": None}

    # -- GHTK ---------------------------------------------------------------------------------------
    def _ghtk(
        self, state: CarrierState, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if headers.get("token") != self.credentials["ghtk"]["token"]:
            return 401, {"success": False, "message": "Token không hợp lệ"}
        if path.startswith("/services/shipment/fee"):
            query = self._query
            if not query.get("province") or not query.get("pick_province") or not query.get("weight"):
                return 200, {"success": False, "message": "Thiếu thông tin tỉnh/thành hoặc khối lượng"}
            served = not ({query.get("ward"), query.get("pick_ward")} & state.unserved_wards)
            return 200, {"success": True, "message": "", "fee": {
                "name": "area1", "fee": local_fee("ghtk", float(query["weight"])), "insurance_fee": 0,
                "delivery": served}}  # fmt: skip
        if path.startswith("/services/shipment/order"):
            data = json.loads(body or b"{}")
            order = data.get("order") or {}
            if not order.get("id") or not order.get("tel") or not data.get("products"):
                return 200, {"success": False, "message": "Thiếu thông tin đơn hàng"}
            existing = state.by_client_code.get(order["id"])
            if existing:
                return 200, {
                    "success": False,
                    "message": "Mã đơn hàng đã tồn tại",
                    "error": {"code": "ORDER_ID_EXIST", "partner_id": order["id"], "ghtk_label": existing, "status": 2},
                }
            label = f"S1.A1.{17370000 + self._next()}"
            state.orders[label] = {"status": 2, "request": data}
            state.by_client_code[order["id"]] = label
            return 200, {
                "success": True,
                "message": "Các đơn hàng đã được add vào hệ thống GHTK thành công.",
                "order": {
                    "partner_id": order["id"],
                    "label": label,
                    "area": "1",
                    "fee": "30400",
                    "insurance_fee": "0",
                    "estimated_pick_time": "Sáng 2026-11-23",
                    "estimated_deliver_time": "Chiều 2026-11-24",
                    "products": [],
                    "status_id": 2,
                },
            }
        if path.startswith("/services/shipment/cancel/"):
            label = path.rsplit("/", 1)[1]
            order = state.orders.get(label)
            if order is None or order["status"] not in (1, 2, 12):
                return 200, {"success": False, "message": "Đơn hàng đã lấy, không thể hủy"}
            order["status"] = -1
            return 200, {"success": True, "message": "", "log_id": f"log{self._next()}"}
        return 404, {"success": False, "message": "Not found"}

    # -- Viettel Post -------------------------------------------------------------------------------
    def _viettel_post(
        self, state: CarrierState, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if headers.get("token") != self.credentials["viettel_post"]["token"]:
            return 200, {"status": 401, "error": True, "message": "Token invalid", "data": None}
        data = json.loads(body or b"{}")
        if path == "/v2/order/getPriceAllNlp":
            if not data.get("RECEIVER_ADDRESS") or not data.get("PRODUCT_WEIGHT"):
                return 200, {"status": 204, "error": True, "message": "Thiếu thông tin bắt buộc", "data": None}
            addresses = f"{data.get('SENDER_ADDRESS', '')}|{data['RECEIVER_ADDRESS']}"
            if any(ward in addresses for ward in state.unserved_wards):
                return 200, []  # no service between these addresses
            price = local_fee("viettel_post", data["PRODUCT_WEIGHT"])
            return 200, [
                {"MA_DV_CHINH": "VCN", "TEN_DICHVU": "Chuyển phát nhanh", "GIA_CUOC": price, "THOI_GIAN": "24 giờ"},
                {"MA_DV_CHINH": "VTK", "TEN_DICHVU": "Tiết kiệm", "GIA_CUOC": price - 4000, "THOI_GIAN": "72 giờ"},
            ]
        if path == "/v2/order/createOrder":
            if not data.get("RECEIVER_PHONE") or not data.get("PRODUCT_WEIGHT"):
                return 200, {"status": 204, "error": True, "message": "Thiếu thông tin bắt buộc", "data": None}
            number = f"1{8_000_000_000 + self._next()}"
            state.orders[number] = {"status": 100, "request": data}
            return 200, {
                "status": 200,
                "error": False,
                "message": "OK",
                "data": {
                    "ORDER_NUMBER": number,
                    "MONEY_COLLECTION": data.get("MONEY_COLLECTION", 0),
                    "EXCHANGE_WEIGHT": data.get("PRODUCT_WEIGHT", 0),
                    "MONEY_TOTAL": 27500,
                    "MONEY_TOTAL_FEE": 25000,
                    "MONEY_FEE": 22000,
                    "MONEY_COLLECTION_FEE": 0,
                    "MONEY_FEE_VAT": 2500,
                    "KPI_HT": 24,
                },
            }
        if path == "/v2/order/UpdateOrder":
            order = state.orders.get(str(data.get("ORDER_NUMBER")))
            if order is None or int(order["status"]) >= 200:
                return 200, {"status": 205, "error": True, "message": "Không thể hủy đơn hàng", "data": None}
            order["status"] = 107
            return 200, {"status": 200, "error": False, "message": "OK", "data": None}
        return 404, {"status": 404, "error": True, "message": "Not found", "data": None}

    # -- J&T ----------------------------------------------------------------------------------------
    def _jt(self, state: CarrierState, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        form = dict(parse_qsl(body.decode()))
        biz_content = form.get("bizContent", "")
        key = self.credentials["jt"]["private_key"]
        expected = base64.b64encode(hashlib.md5((biz_content + key).encode()).digest()).decode()  # noqa: S324
        if headers.get("digest") != expected or headers.get("apiaccount") != self.credentials["jt"]["api_account"]:
            return 200, {"code": "145003052", "msg": "digest is not valid", "data": None}
        biz = json.loads(biz_content or "{}")
        if path == "/api/spmComCost/getComCost":
            areas = {(biz.get("sender") or {}).get("area"), (biz.get("receiver") or {}).get("area")}
            if not (biz.get("receiver") or {}).get("prov") or not biz.get("weight"):
                return 200, {"code": "145003050", "msg": "Illegal parameters", "data": None}
            if areas & state.unserved_wards:
                return 200, {"code": "145003070", "msg": "area is not serviceable", "data": None}
            fee = local_fee("jt", float(biz["weight"]) * 1000)
            return 200, {"code": "1", "msg": "success", "data": {"standardTotalFee": fee, "codFee": 0}}
        if path == "/api/order/addOrder":
            if not biz.get("txlogisticId") or not (biz.get("receiver") or {}).get("mobile"):
                return 200, {"code": "145003050", "msg": "Illegal parameters", "data": None}
            if biz["txlogisticId"] in state.by_client_code:
                return 200, {"code": "145003011", "msg": "txlogisticId already exists", "data": None}
            bill = f"8{60_000_000_000 + self._next()}"
            state.orders[bill] = {"status": "103", "request": biz}
            state.by_client_code[biz["txlogisticId"]] = bill
            return 200, {
                "code": "1",
                "msg": "success",
                "data": {
                    "txlogisticId": biz["txlogisticId"],
                    "billCode": bill,
                    "sortingCode": "HCM-TB 01",
                    "sumFreight": "25000",
                    "createOrderTime": "2026-11-22 10:00:00",
                    "lastCenterName": "HCM Gateway",
                },
            }
        if path == "/api/order/cancelOrder":
            cancelled = state.by_client_code.get(biz.get("txlogisticId", ""))
            if cancelled is None or state.orders[cancelled]["status"] != "103":
                return 200, {"code": "145003060", "msg": "order cannot be cancelled", "data": None}
            state.orders[cancelled]["status"] = "105"
            return 200, {"code": "1", "msg": "success", "data": {"billCode": cancelled}}
        return 404, {"code": "404", "msg": "not found", "data": None}

    # -- Ninja Van ----------------------------------------------------------------------------------
    def _ninjavan(
        self, state: CarrierState, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if path == "/2.0/oauth/access_token":
            data = json.loads(body or b"{}")
            creds = self.credentials["ninjavan"]
            if data.get("client_id") != creds["client_id"] or data.get("client_secret") != creds["client_secret"]:
                return 401, {"error": {"code": 2001, "title": "UNAUTHORIZED", "message": "Invalid client credentials"}}
            token = f"nv-token-{self._next()}"
            self._tokens.add(token)
            return 200, {
                "access_token": token,
                "expires": int(time.time()) + 3600,
                "token_type": "bearer",
                "expires_in": 3600,
            }
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return 401, {"error": {"code": 2001, "title": "UNAUTHORIZED", "message": "Invalid access token"}}
        if path == "/1.0/public/price" and method == "POST":
            data = json.loads(body or b"{}")
            tiers = {(data.get("from") or {}).get("l2_tier_code"), (data.get("to") or {}).get("l2_tier_code")}
            if not (data.get("to") or {}).get("l1_tier_code") or not data.get("weight"):
                return ERRORS["ninjavan"]
            if tiers & state.unserved_wards:
                return 400, {"error": {"code": 2106, "title": "AREA_NOT_COVERED", "message": "Area not covered"}}
            return 200, {"data": {"total_fee": local_fee("ninjavan", float(data["weight"]) * 1000)}}
        if path == "/4.1/orders" and method == "POST":
            data = json.loads(body or b"{}")
            if not (data.get("to") or {}).get("phone_number") or not data.get("parcel_job"):
                return ERRORS["ninjavan"]
            tracking = f"NVVNHAUMAI{self._next():08d}"
            state.orders[tracking] = {"status": "Pending Pickup", "request": data}
            return 200, {**data, "tracking_number": tracking}
        if path.startswith("/2.2/orders/") and method == "DELETE":
            tracking = path.rsplit("/", 1)[1]
            order = state.orders.get(tracking)
            if order is None or order["status"] != "Pending Pickup":
                return 400, {
                    "error": {
                        "code": 2105,
                        "title": "ORDER_CANNOT_BE_CANCELLED",
                        "message": "Order cannot be cancelled",
                    }
                }
            order["status"] = "Cancelled"
            return 200, {"trackingId": tracking, "status": "Cancelled", "updatedAt": "2026-11-22T10:00:00Z"}
        return 404, {"error": {"code": 404, "title": "NOT_FOUND", "message": "Not found"}}
