"""J&T Express Vietnam open platform: addOrder (orderType 2 = return order), cancelOrder,
spmComCost/getComCost (fee estimate); signed webhooks.

The pickup slot goes as `sendStartTime` / `sendEndTime` ("yyyy-MM-dd HH:mm:ss", local time).

Every call is a form POST with `bizContent` (JSON) and headers apiAccount, timestamp and
digest = base64(md5(bizContent + private key)). Tracking pushes are signed the same way and expect the
answer {"code":"1","msg":"success","data":null}.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from haumai.shipping import conf
from haumai.shipping.carriers.base import (
    Booking,
    CarrierError,
    FeeQuery,
    TrackingUpdate,
    WebhookForbidden,
    WebhookMalformed,
    json_body,
    moment_key,
    parse_time,
    require_text,
    same_secret,
)
from haumai.shipping.carriers.http import call, local_phone
from haumai.shipping.carriers.slots import pickup_slot
from haumai.shipping.statuses import ShipmentStatus as S

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment

STATUS_MAP: dict[str, str | None] = {
    "103": S.PICKUP_SCHEDULED,
    "104": S.PICKUP_SCHEDULED,  # pickup failed: still waiting for the pickup
    "105": S.CANCELLED,
    "106": S.PICKED_UP,
    "109": S.IN_TRANSIT,
    "110": S.IN_TRANSIT,
    "112": S.OUT_FOR_DELIVERY,
    "113": S.DELIVERED,
    "116": S.FAILED,
    "117": S.RETURNED,
    "118": S.FAILED,
    "120": S.FAILED,
    "121": None,  # "finish": closing bookkeeping, the parcel state came with 113/117
}


def digest(biz_content: str, private_key: str) -> str:
    """base64(md5(bizContent + private key)), J&T's request and webhook signature."""
    return base64.b64encode(hashlib.md5((biz_content + private_key).encode("utf-8")).digest()).decode()  # noqa: S324


class JtAdapter:
    code = "jt"

    def _post(self, path: str, biz: dict[str, Any]) -> Any:
        biz_content = json.dumps(biz, ensure_ascii=False, separators=(",", ":"))
        headers = {
            "apiAccount": conf.credential("jt", "api_account"),
            "digest": digest(biz_content, conf.credential("jt", "private_key")),
            "timestamp": str(int(time.time() * 1000)),
        }
        _, answer = call("POST", f"{conf.base_url('jt')}{path}", data={"bizContent": biz_content}, headers=headers)
        return answer

    @staticmethod
    def _party(party: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": party["name"],
            "mobile": local_phone(party["phone"]),
            "phone": local_phone(party["phone"]),
            "countryCode": "VNM",
            "prov": party.get("province_name", ""),
            "city": party.get("province_name", ""),
            "area": party.get("ward_name", ""),
            "address": party["street"],
        }

    def book(self, shipment: Shipment) -> Booking:
        parcel = shipment.parcel
        biz = {
            "customerCode": conf.credential("jt", "customer_code"),
            "txlogisticId": shipment.code,
            "orderType": "2" if shipment.direction == "reverse" else "1",
            "isExchange": "0",
            "serviceType": "1",  # door pickup
            "expressType": "EZ",
            "payType": "PP_PM",
            "sender": self._party(shipment.sender),
            "receiver": self._party(shipment.recipient),
            "weight": f"{parcel['weight_grams'] / 1000:.3f}",
            "length": parcel.get("length", 0),
            "width": parcel.get("width", 0),
            "height": parcel.get("height", 0),
            "itemsValue": str(shipment.cod_amount),
            "goodsValue": str(parcel.get("value_vnd", 0)),
            "remark": shipment.reference,
            "items": [
                {"itemName": i["name"], "number": i["quantity"], "englishName": i.get("sku", "")}
                for i in parcel.get("items", [])
            ],
        }
        slot = pickup_slot(shipment)
        if slot is not None:
            biz["sendStartTime"] = slot.start.strftime("%Y-%m-%d %H:%M:%S")
            biz["sendEndTime"] = slot.end.strftime("%Y-%m-%d %H:%M:%S")
        answer = self._post("/api/order/addOrder", biz)
        data = answer.get("data") if isinstance(answer, dict) else None
        if str(answer.get("code")) != "1" or not isinstance(data, dict) or not data.get("billCode"):
            raise CarrierError(
                f"J&T refused the order: {answer.get('msg', '')}", retryable=False, code=str(answer.get("code"))
            )
        bill_code = str(data["billCode"])
        return Booking(
            tracking_code=bill_code,
            label_text=str(data.get("sortingCode") or bill_code),
            fee=int(float(data.get("sumFreight") or 0)) or None,
            raw=answer,
        )

    def quote(self, query: FeeQuery) -> int:
        """J&T's estimated freight (standardTotalFee) for the parcel between the two addresses."""

        def place(party: dict[str, Any]) -> dict[str, str]:
            return {
                "prov": party.get("province_name", ""),
                "city": party.get("province_name", ""),
                "area": party.get("ward_name", ""),
            }

        answer = self._post(
            "/api/spmComCost/getComCost",
            {
                "customerCode": conf.credential("jt", "customer_code"),
                "productType": "EZ",
                "weight": f"{query.parcel['weight_grams'] / 1000:.3f}",
                "goodsValue": str(query.parcel.get("value_vnd", 0)),
                "codMoney": str(query.cod_amount),
                "sender": place(query.sender),
                "receiver": place(query.recipient),
            },
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if str(answer.get("code")) != "1" or not isinstance(data, dict) or data.get("standardTotalFee") is None:
            message = str(answer.get("msg", ""))
            unserved = "not serviceable" in message.lower() or "not in service" in message.lower()
            raise CarrierError(
                f"J&T gave no fee: {message}",
                retryable=False,
                code="unserviceable" if unserved else str(answer.get("code")),
            )
        return int(float(data["standardTotalFee"]))

    def cancel(self, shipment: Shipment) -> None:
        answer = self._post(
            "/api/order/cancelOrder",
            {
                "customerCode": conf.credential("jt", "customer_code"),
                "orderType": "2" if shipment.direction == "reverse" else "1",
                "txlogisticId": shipment.code,
                "reason": "Haumai: cancelled",
            },
        )
        if str(answer.get("code")) != "1":
            raise CarrierError(
                f"J&T did not cancel: {answer.get('msg', '')}", retryable=False, code=str(answer.get("code"))
            )

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WebhookMalformed(f"body is not a form: {exc}") from exc
        biz_content = form.get("bizContent", "")
        given = headers.get("digest") or headers.get("Digest") or form.get("digest", "")
        if not biz_content:
            raise WebhookMalformed("field 'bizContent' is missing")
        secret = conf.credential("jt", "private_key")
        if not secret or not same_secret(given, digest(biz_content, secret)):
            raise WebhookForbidden("digest does not match bizContent")
        biz = json_body(biz_content.encode("utf-8"))
        if not isinstance(biz, dict):
            raise WebhookMalformed("bizContent must be an object")
        bill_code = require_text(biz, "billCode")
        details = biz.get("details")
        if not isinstance(details, list) or not details:
            raise WebhookMalformed("field 'details' must be a non-empty list")
        updates = []
        for detail in details:
            if not isinstance(detail, dict):
                raise WebhookMalformed("each item of 'details' must be an object")
            raw_code = require_text(detail, "scanTypeCode")
            occurred_at = parse_time(require_text(detail, "scanTime"), local_formats=("%Y-%m-%d %H:%M:%S",))
            updates.append(
                TrackingUpdate(
                    carrier_code=self.code,
                    tracking_code=bill_code,
                    shipment_code=str(biz.get("txlogisticId") or ""),
                    raw_code=raw_code,
                    description=str(detail.get("desc") or detail.get("scanTypeName") or "")[:255],
                    occurred_at=occurred_at,
                    mapped_status=STATUS_MAP.get(raw_code),
                    dedupe_key=f"jt:{bill_code}:{raw_code}:{moment_key(occurred_at)}"[:200],
                    raw_payload={"billCode": bill_code, "txlogisticId": biz.get("txlogisticId"), "detail": detail},
                )
            )
        return updates

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {"code": "1", "msg": "success", "data": None}
