"""Viettel Post: /v2/order/createOrder with the long-lived owner token; cancel by UpdateOrder TYPE 4;
fees from /v2/order/getPriceAllNlp (addresses as text, one price per service; we book service VCN).

The pickup slot goes as `DELIVERY_DATE` (the slot's start, "dd/MM/yyyy HH:mm:ss" local time) and is
written in `ORDER_NOTE` for the driver.

Status arrives only by webhook: a JSON body {DATA: {...}, TOKEN} where TOKEN is the shared secret agreed
with Viettel Post.
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
from haumai.shipping.carriers.http import call, local_phone, party_address
from haumai.shipping.carriers.slots import pickup_slot
from haumai.shipping.statuses import ShipmentStatus as S

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment

SERVICE = "VCN"  # chuyển phát nhanh
STATUS_MAP: dict[str, str | None] = {
    "-100": S.PICKUP_SCHEDULED,
    "100": S.PICKUP_SCHEDULED,
    "102": S.PICKUP_SCHEDULED,
    "103": S.PICKUP_SCHEDULED,
    "104": S.PICKUP_SCHEDULED,
    "105": S.PICKED_UP,
    "200": S.PICKED_UP,
    "202": S.PICKED_UP,
    "300": S.IN_TRANSIT,
    "400": S.IN_TRANSIT,
    "508": S.IN_TRANSIT,
    "509": S.IN_TRANSIT,
    "550": S.IN_TRANSIT,
    "500": S.OUT_FOR_DELIVERY,
    "501": S.DELIVERED,
    "502": S.FAILED,
    "505": S.FAILED,
    "506": S.FAILED,
    "507": S.FAILED,
    "515": S.FAILED,
    "504": S.RETURNED,
    "101": S.CANCELLED,
    "107": S.CANCELLED,
    "201": S.CANCELLED,
    "503": S.CANCELLED,
}


class ViettelPostAdapter:
    code = "viettel_post"

    def _headers(self) -> dict[str, str]:
        return {"Token": conf.credential("viettel_post", "token")}

    def book(self, shipment: Shipment) -> Booking:
        sender, recipient, parcel = shipment.sender, shipment.recipient, shipment.parcel
        items = parcel.get("items") or []
        body = {
            "ORDER_NUMBER": shipment.code,
            "SENDER_FULLNAME": sender["name"],
            "SENDER_ADDRESS": party_address(sender),
            "SENDER_PHONE": local_phone(sender["phone"]),
            "RECEIVER_FULLNAME": recipient["name"],
            "RECEIVER_ADDRESS": party_address(recipient),
            "RECEIVER_PHONE": local_phone(recipient["phone"]),
            "PRODUCT_NAME": ", ".join(i["name"] for i in items)[:200] or shipment.reference,
            "PRODUCT_DESCRIPTION": parcel.get("note", ""),
            "PRODUCT_QUANTITY": sum(i["quantity"] for i in items) or 1,
            "PRODUCT_PRICE": parcel.get("value_vnd", 0),
            "PRODUCT_WEIGHT": parcel["weight_grams"],
            "PRODUCT_LENGTH": parcel.get("length", 0),
            "PRODUCT_WIDTH": parcel.get("width", 0),
            "PRODUCT_HEIGHT": parcel.get("height", 0),
            "PRODUCT_TYPE": "HH",
            "ORDER_PAYMENT": 3 if shipment.cod_amount else 1,
            "ORDER_SERVICE": SERVICE,
            "ORDER_NOTE": shipment.reference,
            "MONEY_COLLECTION": shipment.cod_amount,
            "LIST_ITEM": [
                {"PRODUCT_NAME": i["name"], "PRODUCT_QUANTITY": i["quantity"], "PRODUCT_PRICE": 0, "PRODUCT_WEIGHT": 0}
                for i in items
            ],
        }
        slot = pickup_slot(shipment)
        if slot is not None:
            body["DELIVERY_DATE"] = slot.start.strftime("%d/%m/%Y %H:%M:%S")
            body["ORDER_NOTE"] = f"{shipment.reference} - Lấy hàng {slot.label()}"
        status, answer = call(
            "POST", f"{conf.base_url('viettel_post')}/v2/order/createOrder", json=body, headers=self._headers()
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if (
            answer.get("error")
            or answer.get("status") != 200
            or not isinstance(data, dict)
            or not data.get("ORDER_NUMBER")
        ):
            raise CarrierError(
                f"Viettel Post refused the order: {answer.get('message', '')}",
                retryable=False,
                code=str(answer.get("status") or status),
            )
        order_number = str(data["ORDER_NUMBER"])
        return Booking(
            tracking_code=order_number,
            label_text=order_number,
            fee=int(data.get("MONEY_TOTAL") or 0) or None,
            raw=answer,
        )

    def quote(self, query: FeeQuery) -> int:
        """Viettel Post's price for service VCN between the two addresses (getPriceAllNlp)."""
        body = {
            "SENDER_ADDRESS": party_address(query.sender),
            "RECEIVER_ADDRESS": party_address(query.recipient),
            "PRODUCT_TYPE": "HH",
            "PRODUCT_WEIGHT": query.parcel["weight_grams"],
            "PRODUCT_PRICE": query.parcel.get("value_vnd", 0),
            "MONEY_COLLECTION": query.cod_amount,
            "PRODUCT_LENGTH": query.parcel.get("length", 0),
            "PRODUCT_WIDTH": query.parcel.get("width", 0),
            "PRODUCT_HEIGHT": query.parcel.get("height", 0),
            "TYPE": 1,
        }
        status, answer = call(
            "POST", f"{conf.base_url('viettel_post')}/v2/order/getPriceAllNlp", json=body, headers=self._headers()
        )
        rows = answer if isinstance(answer, list) else (answer.get("data") if isinstance(answer, dict) else None)
        if isinstance(answer, dict) and answer.get("error"):
            raise CarrierError(
                f"Viettel Post gave no fee: {answer.get('message', '')}",
                retryable=False,
                code=str(answer.get("status") or status),
            )
        prices = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
        chosen = next((r for r in prices if r.get("MA_DV_CHINH") == SERVICE), None)
        if chosen is None or chosen.get("GIA_CUOC") is None:
            raise CarrierError(
                "Viettel Post does not offer its express service between these addresses",
                retryable=False,
                code="unserviceable",
            )
        return int(chosen["GIA_CUOC"])

    def cancel(self, shipment: Shipment) -> None:
        _, answer = call(
            "POST",
            f"{conf.base_url('viettel_post')}/v2/order/UpdateOrder",
            json={"TYPE": 4, "ORDER_NUMBER": shipment.tracking_code, "NOTE": "Haumai: cancelled"},
            headers=self._headers(),
        )
        if answer.get("error") or answer.get("status") != 200:
            raise CarrierError(
                f"Viettel Post did not cancel: {answer.get('message', '')}",
                retryable=False,
                code=str(answer.get("status")),
            )

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        envelope = json_body(body)
        if not isinstance(envelope, dict):
            raise WebhookMalformed("body must be an object")
        if not same_secret(str(envelope.get("TOKEN") or ""), conf.webhook_secret("viettel_post")):
            raise WebhookForbidden("TOKEN does not match the shared secret")
        data = envelope.get("DATA")
        if not isinstance(data, dict):
            raise WebhookMalformed("field 'DATA' is missing")
        order_number = require_text(data, "ORDER_NUMBER")
        raw_code = require_text(data, "ORDER_STATUS")
        occurred_at = parse_time(
            require_text(data, "ORDER_STATUSDATE"), local_formats=("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
        )
        return [
            TrackingUpdate(
                carrier_code=self.code,
                tracking_code=order_number,
                shipment_code=str(data.get("ORDER_REFERENCE") or ""),
                raw_code=raw_code,
                description=str(data.get("STATUS_NAME") or data.get("NOTE") or "")[:255],
                occurred_at=occurred_at,
                mapped_status=STATUS_MAP.get(raw_code),
                dedupe_key=f"viettel_post:{order_number}:{raw_code}:{moment_key(occurred_at)}"[:200],
                raw_payload={"DATA": data},  # never store the shared secret
            )
        ]

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {"status": 200, "error": False, "message": "OK"}
