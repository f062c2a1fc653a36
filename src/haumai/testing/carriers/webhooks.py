"""Carrier webhooks as the carriers send them (payload shapes from their docs), signed the way each signs.

`build_webhook(...)` returns the request to make; `post_webhook(...)` sends it to a live Haumai. Tests that
use Django's test client post `request.body` to `request.url_for(prefix)` themselves.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from haumai.core import clock

VN = dt.timezone(dt.timedelta(hours=7))


@dataclass
class WebhookRequest:
    """One webhook HTTP request: path below /hooks/shipping/, query, body and headers."""

    carrier: str
    path: str
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)

    def url_for(self, prefix: str = "/hooks/shipping/") -> str:
        """The URL below `prefix` (e.g. 'http://127.0.0.1:8000/hooks/shipping/')."""
        url = prefix.rstrip("/") + "/" + self.path
        return f"{url}?{urlencode(self.query)}" if self.query else url


def _when(at: dt.datetime | None) -> dt.datetime:
    # The product's clock, so a test that moved time gets reports of its own "now" (real time otherwise).
    return (at or clock.now()).astimezone(VN)


def jt_digest(biz_content: str, private_key: str) -> str:
    return base64.b64encode(hashlib.md5((biz_content + private_key).encode("utf-8")).digest()).decode()  # noqa: S324


def ninjavan_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def build_webhook(
    carrier: str,
    tracking_code: str,
    raw_code: str,
    *,
    secrets: dict[str, str],
    at: dt.datetime | None = None,
    shipment_code: str = "",
    reason: str = "",
) -> WebhookRequest:
    """A documented webhook of `carrier` reporting `raw_code` for `tracking_code`, authenticated with `secrets`."""
    moment = _when(at)
    if carrier == "ghn":
        payload: dict[str, Any] = {
            "CODAmount": 0,
            "CODTransferDate": None,
            "ClientOrderCode": shipment_code,
            "ConvertedWeight": 500,
            "Description": reason or raw_code,
            "Fee": {"MainService": 22000, "Insurance": 0, "Return": 0, "R2S": 0, "CODFailedFee": 0},
            "IsPartialReturn": False,
            "OrderCode": tracking_code,
            "Reason": reason,
            "ReasonCode": "",
            "ShopID": 885,
            "Status": raw_code,
            "Time": moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "TotalFee": 22000,
            "Type": "Switch_status",
            "Warehouse": "Bưu Cục 10 Hoàng Hoa Thám-HCM",
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        return WebhookRequest(carrier, f"ghn/{secrets.get('ghn', '')}/", body, "application/json")
    if carrier == "ghtk":
        form = {
            "partner_id": shipment_code,
            "label_id": tracking_code,
            "status_id": raw_code,
            "action_time": moment.isoformat(timespec="seconds"),
            "reason_code": "",
            "reason": reason,
            "weight": "0.5",
            "fee": "22000",
            "pick_money": "0",
            "return_part_package": "0",
        }
        return WebhookRequest(
            carrier,
            "ghtk/",
            urlencode(form).encode(),
            "application/x-www-form-urlencoded",
            query={"hash": secrets.get("ghtk", "")},
        )
    if carrier == "viettel_post":
        envelope = {
            "DATA": {
                "ORDER_NUMBER": tracking_code,
                "ORDER_REFERENCE": shipment_code,
                "ORDER_STATUSDATE": moment.strftime("%d/%m/%Y %H:%M:%S"),
                "ORDER_STATUS": int(raw_code) if raw_code.lstrip("-").isdigit() else raw_code,
                "STATUS_NAME": reason or f"Trạng thái {raw_code}",
                "LOCALION_CURRENTLY": "TTKT Hà Nội",
                "NOTE": reason,
                "MONEY_COLLECTION": 0,
                "MONEY_FEECOD": 0,
                "MONEY_TOTAL": 22000,
                "EXPECTED_DELIVERY": "1 ngày",
                "PRODUCT_WEIGHT": 500,
                "ORDER_SERVICE": "VCN",
            },
            "TOKEN": secrets.get("viettel_post", ""),
        }
        return WebhookRequest(
            carrier, "viettel_post/", json.dumps(envelope, ensure_ascii=False).encode(), "application/json"
        )
    if carrier == "jt":
        biz = {
            "billCode": tracking_code,
            "txlogisticId": shipment_code,
            "details": [
                {
                    "scanTime": moment.strftime("%Y-%m-%d %H:%M:%S"),
                    "desc": reason or f"scan {raw_code}",
                    "scanTypeCode": raw_code,
                    "scanTypeName": reason or raw_code,
                    "scanNetworkName": "HCM Tân Bình",
                }
            ],
        }
        biz_content = json.dumps(biz, ensure_ascii=False, separators=(",", ":"))
        headers = {
            "apiAccount": "292508153084379141",
            "digest": jt_digest(biz_content, secrets.get("jt", "")),
            "timestamp": str(int(moment.timestamp() * 1000)),
        }
        return WebhookRequest(
            carrier,
            "jt/",
            urlencode({"bizContent": biz_content}).encode(),
            "application/x-www-form-urlencoded",
            headers,
        )
    if carrier == "ninjavan":
        payload = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tracking_code}/{raw_code}/{moment.isoformat()}")),
            "shipper_id": 3316,
            "status": raw_code,
            "previous_status": "",
            "shipper_ref_no": shipment_code,
            "tracking_ref_no": shipment_code,
            "shipper_order_ref_no": shipment_code,
            "timestamp": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "tracking_id": tracking_code,
            "comments": reason,
        }
        body = json.dumps(payload).encode()
        headers = {"X-Ninjavan-Hmac-Sha256": ninjavan_signature(body, secrets.get("ninjavan", ""))}
        return WebhookRequest(carrier, "ninjavan/", body, "application/json", headers)
    raise ValueError(f"no webhook for carrier {carrier!r}")


def post_webhook(request: WebhookRequest, hooks_prefix: str, *, timeout: float = 10) -> httpx.Response:
    """Send a built webhook to a live Haumai, e.g. hooks_prefix='http://127.0.0.1:8000/hooks/shipping/'."""
    headers = {"Content-Type": request.content_type, **request.headers}
    return httpx.post(request.url_for(hooks_prefix), content=request.body, headers=headers, timeout=timeout)
