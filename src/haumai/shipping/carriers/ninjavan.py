"""Ninja Van: OAuth client credentials, POST 4.1/orders, POST 1.0/public/price, DELETE 2.2/orders/{tracking};
HMAC webhooks.

The pickup slot goes as `pickup_date` and the documented `pickup_timeslot` window closest to it (Ninja
Van takes only fixed windows: 09-12, 09-18, 09-22, 12-15, 15-18, 18-22); without a slot, today 09-18.

Webhooks carry `X-Ninjavan-Hmac-Sha256` = base64(HMAC-SHA256(raw body, client secret)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from haumai.core import clock
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
from haumai.shipping.carriers.http import call, party_address
from haumai.shipping.carriers.slots import ninjavan_timeslot, pickup_slot
from haumai.shipping.statuses import ShipmentStatus as S

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment

STATUS_MAP: dict[str, str | None] = {
    "pending pickup": S.PICKUP_SCHEDULED,
    "pickup fail": S.PICKUP_SCHEDULED,
    "pickup exception": S.PICKUP_SCHEDULED,
    "picked up": S.PICKED_UP,
    "picked up, in transit to origin hub": S.PICKED_UP,
    "arrived at origin hub": S.IN_TRANSIT,
    "arrived at sorting hub": S.IN_TRANSIT,
    "en-route to sorting hub": S.IN_TRANSIT,
    "in transit": S.IN_TRANSIT,
    "arrived at destination hub": S.IN_TRANSIT,
    "arrived at distribution point": S.IN_TRANSIT,
    "on vehicle for delivery": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "completed": S.DELIVERED,
    "first attempt delivery fail": S.FAILED,
    "delivery exception": S.FAILED,
    "return to sender triggered": S.FAILED,
    "returned to sender": S.RETURNED,
    "cancelled": S.CANCELLED,
    "parcel lost": S.LOST,
}


def signature(body: bytes, secret: str) -> str:
    """base64(HMAC-SHA256(raw body, client secret)), Ninja Van's webhook signature."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def map_status(raw: str) -> str | None:
    """Map a Ninja Van status text; 'Delivered, Left at Doorstep' and friends count as delivered."""
    key = raw.strip().lower()
    if key in STATUS_MAP:
        return STATUS_MAP[key]
    if key.startswith("delivered"):
        return S.DELIVERED
    return None


class NinjaVanAdapter:
    code = "ninjavan"

    def _token(self) -> str:
        _, answer = call(
            "POST",
            f"{conf.base_url('ninjavan')}/2.0/oauth/access_token",
            json={
                "client_id": conf.credential("ninjavan", "client_id"),
                "client_secret": conf.credential("ninjavan", "client_secret"),
                "grant_type": "client_credentials",
            },
        )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not token:
            raise CarrierError("Ninja Van refused the client credentials", retryable=False, code="oauth")
        return str(token)

    @staticmethod
    def _party(party: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": party["name"],
            "phone_number": party["phone"],
            "address": {
                "address1": party["street"],
                "address2": party_address({**party, "street": ""}),
                "country": "VN",
                "province": party.get("province_name", ""),
                "ward": party.get("ward_name", ""),
            },
        }

    def book(self, shipment: Shipment) -> Booking:
        parcel = shipment.parcel
        slot = pickup_slot(shipment)
        if slot is not None:
            pickup_day = slot.date
            start_time, end_time = ninjavan_timeslot(slot)
        else:
            pickup_day = clock.now().astimezone(clock.LOCAL_TZ).date()
            start_time, end_time = "09:00", "18:00"
        body = {
            "service_type": "Return" if shipment.direction == "reverse" else "Parcel",
            "service_level": "Standard",
            "reference": {"merchant_order_number": shipment.code},
            "from": self._party(shipment.sender),
            "to": self._party(shipment.recipient),
            "parcel_job": {
                "is_pickup_required": True,
                "pickup_service_type": "Scheduled",
                "pickup_service_level": "Standard",
                "pickup_date": pickup_day.isoformat(),
                "pickup_timeslot": {"start_time": start_time, "end_time": end_time, "timezone": "Asia/Ho_Chi_Minh"},
                "delivery_instructions": parcel.get("note", ""),
                "cash_on_delivery": shipment.cod_amount or None,
                "dimensions": {
                    "weight": parcel["weight_grams"] / 1000,
                    "length": parcel.get("length", 0),
                    "width": parcel.get("width", 0),
                    "height": parcel.get("height", 0),
                },
                "items": [{"item_description": i["name"], "quantity": i["quantity"]} for i in parcel.get("items", [])],
            },
        }
        headers = {"Authorization": f"Bearer {self._token()}"}
        status, answer = call("POST", f"{conf.base_url('ninjavan')}/4.1/orders", json=body, headers=headers)
        if status >= 400 or not isinstance(answer, dict) or not answer.get("tracking_number"):
            error = answer.get("error") if isinstance(answer, dict) else None
            error = error if isinstance(error, dict) else {}
            raise CarrierError(
                f"Ninja Van refused the order: {error.get('message', '')}",
                retryable=False,
                code=str(error.get("code") or status),
            )
        tracking = str(answer["tracking_number"])
        return Booking(tracking_code=tracking, label_text=tracking, raw=answer)

    def quote(self, query: FeeQuery) -> int:
        """Ninja Van's estimated price (POST 1.0/public/price, Standard) for the parcel."""

        def tiers(party: dict[str, Any]) -> dict[str, str]:
            return {"l1_tier_code": party.get("province_name", ""), "l2_tier_code": party.get("ward_name", "")}

        body = {
            "service_level": "Standard",
            "weight": query.parcel["weight_grams"] / 1000,
            "from": tiers(query.sender),
            "to": tiers(query.recipient),
        }
        headers = {"Authorization": f"Bearer {self._token()}"}
        status, answer = call("POST", f"{conf.base_url('ninjavan')}/1.0/public/price", json=body, headers=headers)
        data = answer.get("data") if isinstance(answer, dict) else None
        if status >= 400 or not isinstance(data, dict) or data.get("total_fee") is None:
            error = answer.get("error") if isinstance(answer, dict) else None
            error = error if isinstance(error, dict) else {}
            unserved = error.get("title") == "AREA_NOT_COVERED"
            raise CarrierError(
                f"Ninja Van gave no price: {error.get('message', '')}",
                retryable=False,
                code="unserviceable" if unserved else str(error.get("code") or status),
            )
        return int(float(data["total_fee"]))

    def cancel(self, shipment: Shipment) -> None:
        headers = {"Authorization": f"Bearer {self._token()}"}
        status, answer = call(
            "DELETE", f"{conf.base_url('ninjavan')}/2.2/orders/{shipment.tracking_code}", headers=headers
        )
        if status >= 400:
            error = (answer.get("error") if isinstance(answer, dict) else None) or {}
            raise CarrierError(
                f"Ninja Van did not cancel: {error.get('message', '')}", retryable=False, code=str(status)
            )

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        given = headers.get("X-Ninjavan-Hmac-Sha256") or headers.get("x-ninjavan-hmac-sha256") or ""
        secret = conf.credential("ninjavan", "client_secret")
        if not secret or not same_secret(given, signature(body, secret)):
            raise WebhookForbidden("X-Ninjavan-Hmac-Sha256 does not match the body")
        data = json_body(body)
        if not isinstance(data, dict):
            raise WebhookMalformed("body must be an object")
        tracking = require_text(data, "tracking_id")
        raw_code = require_text(data, "status")
        time_text = require_text(data, "timestamp")
        occurred_at = parse_time(_iso_offset(time_text))
        event_id = str(data.get("id") or "")
        when = moment_key(occurred_at)
        dedupe_key = f"ninjavan:{event_id}" if event_id else f"ninjavan:{tracking}:{raw_code}:{when}"
        return [
            TrackingUpdate(
                carrier_code=self.code,
                tracking_code=tracking,
                shipment_code=str(data.get("shipper_order_ref_no") or ""),
                raw_code=raw_code,
                description=str(data.get("comments") or "")[:255],
                occurred_at=occurred_at,
                mapped_status=map_status(raw_code),
                dedupe_key=dedupe_key[:200],
                raw_payload=data,
            )
        ]

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {"status": "ok"}


def _iso_offset(text: str) -> str:
    """'2024-05-20T10:00:00+0000' (Ninja Van) -> '2024-05-20T10:00:00+00:00'."""
    text = text.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        return f"{text[:-2]}:{text[-2:]}"
    return text
