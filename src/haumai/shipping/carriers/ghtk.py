"""Giao Hàng Tiết Kiệm (GHTK): services/shipment/order (ver 1.5), shipment/fee, cancel; webhook with ?hash=.

The pickup slot goes as `pick_date` (local date) and `pick_work_shift` (1 morning, 2 afternoon, 3 evening).
A fee answer with `delivery: false` means GHTK does not serve the address.

GHTK signs nothing: the webhook URL we give GHTK carries `?hash=<secret>`. GHTK retries once.
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
    json_or_form_body,
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
    "-1": S.CANCELLED,
    "1": S.PICKUP_SCHEDULED,
    "2": S.PICKUP_SCHEDULED,
    "12": S.PICKUP_SCHEDULED,
    "7": S.PICKUP_SCHEDULED,  # could not pick up: still waiting for the pickup
    "8": S.PICKUP_SCHEDULED,  # pickup delayed
    "127": S.PICKUP_SCHEDULED,
    "128": S.PICKUP_SCHEDULED,
    "123": S.PICKED_UP,
    "3": S.PICKED_UP,
    "4": S.OUT_FOR_DELIVERY,
    "45": S.OUT_FOR_DELIVERY,
    "5": S.DELIVERED,
    "6": S.DELIVERED,  # reconciled after delivery
    "9": S.FAILED,
    "10": S.FAILED,
    "49": S.FAILED,
    "410": S.FAILED,
    "20": S.FAILED,  # being returned to the sender
    "21": S.RETURNED,
    "11": S.RETURNED,  # return reconciled
    "13": S.LOST,  # compensated (lost or damaged)
}


class GhtkAdapter:
    code = "ghtk"

    def _headers(self) -> dict[str, str]:
        return {"Token": conf.credential("ghtk", "token"), "X-Client-Source": conf.credential("ghtk", "client_source")}

    def book(self, shipment: Shipment) -> Booking:
        sender, recipient, parcel = shipment.sender, shipment.recipient, shipment.parcel
        items = parcel.get("items") or [{"name": shipment.reference, "quantity": 1}]
        weight_kg = round(parcel["weight_grams"] / 1000 / max(1, len(items)), 3)
        body: dict[str, Any] = {
            "products": [
                {"name": i["name"], "weight": weight_kg, "quantity": i["quantity"], "product_code": i.get("sku", "")}
                for i in items
            ],
            "order": {
                "id": shipment.code,
                "pick_name": sender["name"],
                "pick_tel": local_phone(sender["phone"]),
                "pick_address": sender["street"],
                "pick_ward": sender.get("ward_name", ""),
                "pick_province": sender.get("province_name", ""),
                "pick_district": "",
                "name": recipient["name"],
                "tel": local_phone(recipient["phone"]),
                "address": recipient["street"],
                "ward": recipient.get("ward_name", ""),
                "province": recipient.get("province_name", ""),
                "district": "",
                "hamlet": "Khác",
                "is_freeship": "1",
                "pick_money": shipment.cod_amount,
                "value": parcel.get("value_vnd", 0),
                "transport": "road",
                "pick_option": "cod",
                "note": (parcel.get("note") or shipment.reference)[:120],
            },
        }
        slot = pickup_slot(shipment)
        if slot is not None:
            body["order"]["pick_date"] = slot.date.isoformat()
            body["order"]["pick_work_shift"] = slot.work_shift
        status, answer = call(
            "POST", f"{conf.base_url('ghtk')}/services/shipment/order/?ver=1.5", json=body, headers=self._headers()
        )
        order = answer.get("order") if isinstance(answer, dict) else None
        if not answer.get("success") or not isinstance(order, dict) or not order.get("label"):
            error = answer.get("error") or {}
            raise CarrierError(
                f"GHTK refused the order: {answer.get('message', '')}",
                retryable=False,
                code=str(error.get("code") if isinstance(error, dict) else "") or str(status),
            )
        label = str(order["label"])
        return Booking(tracking_code=label, label_text=label, fee=int(order.get("fee") or 0) or None, raw=answer)

    def quote(self, query: FeeQuery) -> int:
        """GHTK's fee (GET services/shipment/fee, road); an address GHTK does not deliver to is refused."""
        sender, recipient, parcel = query.sender, query.recipient, query.parcel
        params = {
            "pick_address": sender.get("street", ""),
            "pick_ward": sender.get("ward_name", ""),
            "pick_province": sender.get("province_name", ""),
            "pick_district": "",
            "address": recipient.get("street", ""),
            "ward": recipient.get("ward_name", ""),
            "province": recipient.get("province_name", ""),
            "district": "",
            "weight": parcel["weight_grams"],
            "value": parcel.get("value_vnd", 0),
            "transport": "road",
        }
        status, answer = call(
            "GET", f"{conf.base_url('ghtk')}/services/shipment/fee", params=params, headers=self._headers()
        )
        fee = answer.get("fee") if isinstance(answer, dict) else None
        if not answer.get("success") or not isinstance(fee, dict) or fee.get("fee") is None:
            raise CarrierError(f"GHTK gave no fee: {answer.get('message', '')}", retryable=False, code=str(status))
        if fee.get("delivery") is False:
            raise CarrierError("GHTK does not deliver to this address", retryable=False, code="unserviceable")
        return int(fee["fee"])

    def cancel(self, shipment: Shipment) -> None:
        _, answer = call(
            "POST",
            f"{conf.base_url('ghtk')}/services/shipment/cancel/{shipment.tracking_code}",
            headers=self._headers(),
        )
        if not answer.get("success"):
            raise CarrierError(
                f"GHTK did not cancel: {answer.get('message', '')}", retryable=False, code="cancel_refused"
            )

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str], *, url_secret: str = ""
    ) -> list[TrackingUpdate]:
        if not same_secret(query.get("hash", ""), conf.webhook_secret("ghtk")):
            raise WebhookForbidden("the hash in the webhook URL is wrong")
        data = json_or_form_body(body, headers)
        label = require_text(data, "label_id")
        raw_code = require_text(data, "status_id")
        occurred_at = parse_time(require_text(data, "action_time"), local_formats=("%Y-%m-%d %H:%M:%S",))
        return [
            TrackingUpdate(
                carrier_code=self.code,
                tracking_code=label,
                shipment_code=str(data.get("partner_id") or ""),
                raw_code=raw_code,
                description=str(data.get("reason") or "")[:255],
                occurred_at=occurred_at,
                mapped_status=STATUS_MAP.get(raw_code),
                dedupe_key=f"ghtk:{label}:{raw_code}:{moment_key(occurred_at)}"[:200],
                raw_payload=data,
            )
        ]

    def acknowledgement(self) -> tuple[int, dict[str, Any]]:
        return 200, {"success": True}
