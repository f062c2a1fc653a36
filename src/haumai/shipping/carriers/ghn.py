"""Giao Hàng Nhanh (GHN): shipping-order/create, fee, shift/date, a5 label token, cancel; webhooks unsigned.

The customer's pickup slot goes as `pick_shift` (the id of the GHN pickup shift from `GET v2/shift/date`
that overlaps the slot most) and `pickup_time` (the slot's start, Unix seconds).

GHN signs nothing, so the webhook URL we register with GHN support carries a secret token that we issue
(`/hooks/shipping/ghn/<secret>/`). GHN retries a non-200 answer 10 times every 5 seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
from haumai.shipping.carriers.slots import best_shift, pickup_slot
from haumai.shipping.statuses import ShipmentStatus as S

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment

STATUS_MAP: dict[str, str | None] = {
    "ready_to_pick": S.PICKUP_SCHEDULED,
    "picking": S.PICKUP_SCHEDULED,
    "money_collect_picking": S.PICKUP_SCHEDULED,
    "picked": S.PICKED_UP,
    "storing": S.IN_TRANSIT,
    "transporting": S.IN_TRANSIT,
    "sorting": S.IN_TRANSIT,
    "delivering": S.OUT_FOR_DELIVERY,
    "money_collect_delivering": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "delivery_fail": S.FAILED,
    "waiting_to_return": S.FAILED,
    "return": S.FAILED,
    "return_transporting": S.FAILED,
    "return_sorting": S.FAILED,
    "returning": S.FAILED,
    "return_fail": S.FAILED,
    "returned": S.RETURNED,
    "cancel": S.CANCELLED,
    "lost": S.LOST,
    # Kept but not mapped: the parcel's state is unclear until the next report.
    "exception": None,
    "damage": None,
}


class GhnAdapter:
    code = "ghn"

    def _headers(self) -> dict[str, str]:
        return {"Token": conf.credential("ghn", "token"), "ShopId": conf.credential("ghn", "shop_id")}

    def book(self, shipment: Shipment) -> Booking:
        sender, recipient, parcel = shipment.sender, shipment.recipient, shipment.parcel
        body = {
            "payment_type_id": 1,  # the shop pays (returns are on us)
            "required_note": "KHONGCHOXEMHANG",
            "client_order_code": shipment.code,
            "from_name": sender["name"],
            "from_phone": local_phone(sender["phone"]),
            "from_address": sender["street"],
            "from_ward_name": sender.get("ward_name", ""),
            "from_province_name": sender.get("province_name", ""),
            "to_name": recipient["name"],
            "to_phone": local_phone(recipient["phone"]),
            "to_address": recipient["street"],
            "to_ward_name": recipient.get("ward_name", ""),
            "to_province_name": recipient.get("province_name", ""),
            "cod_amount": shipment.cod_amount,
            "content": parcel.get("note", "")[:2000],
            "weight": parcel["weight_grams"],
            "length": parcel.get("length", 0),
            "width": parcel.get("width", 0),
            "height": parcel.get("height", 0),
            "insurance_value": min(parcel.get("value_vnd", 0), 5_000_000),
            "service_type_id": 2,
            "note": shipment.reference,
            "items": [
                {"name": item["name"], "code": item.get("sku", ""), "quantity": item["quantity"]}
                for item in parcel.get("items", [])
            ],
        }
        slot = pickup_slot(shipment)
        if slot is not None:
            body["pickup_time"] = int(slot.start.timestamp())
            shift = best_shift(slot, self._shifts())
            if shift is not None:
                body["pick_shift"] = [shift]
        status, answer = call(
            "POST", f"{conf.base_url('ghn')}/v2/shipping-order/create", json=body, headers=self._headers()
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if answer.get("code") != 200 or not isinstance(data, dict) or not data.get("order_code"):
            raise CarrierError(
                f"GHN refused the order: {answer.get('message', '')}",
                retryable=False,
                code=str(answer.get("code_message") or answer.get("code") or status),
            )
        order_code = str(data["order_code"])
        return Booking(
            tracking_code=order_code,
            label_url=self._label_url(order_code),
            label_text=str(data.get("sort_code", "")) or order_code,
            fee=int(data.get("total_fee") or 0) or None,
            raw=answer,
        )

    def _shifts(self) -> list[tuple[int, int, int]]:
        """GHN's pickup shifts as (id, from second, to second of the day); none when GHN does not answer."""
        try:
            _, answer = call("GET", f"{conf.base_url('ghn')}/v2/shift/date", headers=self._headers())
        except CarrierError:
            return []
        rows = answer.get("data") if isinstance(answer, dict) else None
        shifts = []
        for row in rows if isinstance(rows, list) else []:
            try:
                shifts.append((int(row["id"]), int(row["from_time"]), int(row["to_time"])))
            except (KeyError, TypeError, ValueError):
                continue
        return shifts

    def quote(self, query: FeeQuery) -> int:
        """The fee GHN quotes (v2/shipping-order/fee, light goods) for this parcel between the parties."""
        sender, recipient, parcel = query.sender, query.recipient, query.parcel
        body = {
            "service_type_id": 2,
            "from_ward_name": sender.get("ward_name", ""),
            "from_province_name": sender.get("province_name", ""),
            "to_ward_name": recipient.get("ward_name", ""),
            "to_province_name": recipient.get("province_name", ""),
            "weight": parcel["weight_grams"],
            "length": parcel.get("length", 0),
            "width": parcel.get("width", 0),
            "height": parcel.get("height", 0),
            "insurance_value": min(parcel.get("value_vnd", 0), 5_000_000),
            "cod_value": query.cod_amount,
        }
        status, answer = call(
            "POST", f"{conf.base_url('ghn')}/v2/shipping-order/fee", json=body, headers=self._headers()
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if answer.get("code") != 200 or not isinstance(data, dict) or data.get("total") is None:
            message = str(answer.get("message", ""))
            unserved = answer.get("code_message") == "ROUTE_NOT_FOUND" or "route not found" in message.lower()
            raise CarrierError(
                f"GHN gave no fee: {message}",
                retryable=False,
                code="unserviceable" if unserved else str(answer.get("code_message") or answer.get("code") or status),
            )
        return int(data["total"])

    def _label_url(self, order_code: str) -> str:
        """A printable A5 label (GHN's token is valid for a while; staff reprint from GHN otherwise)."""
        try:
            _, answer = call(
                "POST",
                f"{conf.base_url('ghn')}/v2/a5/gen-token",
                json={"order_codes": [order_code]},
                headers=self._headers(),
            )
        except CarrierError:
            return ""
        token = (answer.get("data") or {}).get("token") if isinstance(answer, dict) else None
        return f"{conf.base_url('ghn')}/a5/public-api/printA5?token={token}" if token else ""

    def cancel(self, shipment: Shipment) -> None:
        _, answer = call(
            "POST",
            f"{conf.base_url('ghn')}/v2/switch-status/cancel",
            json={"order_codes": [shipment.tracking_code]},
            headers=self._headers(),
        )
        if answer.get("code") != 200:
            raise CarrierError(
                f"GHN did not cancel: {answer.get('message', '')}", retryable=False, code=str(answer.get("code"))
            )

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        if not same_secret(url_secret, conf.webhook_secret("ghn")):
            raise WebhookForbidden("the secret in the webhook URL is wrong")
        data = json_body(body)
        if not isinstance(data, dict):
            raise WebhookMalformed("body must be an object")
        order_code = require_text(data, "OrderCode")
        raw_code = require_text(data, "Status").lower()
        occurred_at = parse_time(require_text(data, "Time"))
        kind = str(data.get("Type", "")).lower()
        return [
            TrackingUpdate(
                carrier_code=self.code,
                tracking_code=order_code,
                shipment_code=str(data.get("ClientOrderCode") or ""),
                raw_code=raw_code,
                description=str(data.get("Reason") or data.get("Description") or "")[:255],
                occurred_at=occurred_at,
                mapped_status=STATUS_MAP.get(raw_code),
                dedupe_key=f"ghn:{order_code}:{kind}:{raw_code}:{moment_key(occurred_at)}"[:200],
                raw_payload=data,
            )
        ]

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {"code": 200, "message": "Success"}
