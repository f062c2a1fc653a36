"""Sample contexts per template key: what a template may use, checked when a version is saved and previewed."""

from __future__ import annotations

import copy
from typing import Any

_CUSTOMER = {"name": "Nguyễn Thị Lan", "first_name": "Lan", "code": "CUS-000123"}
_LINKS = {
    "portal": "https://haumai.example.vn/portal/",
    "order": "https://haumai.example.vn/portal/orders/DH-2026-000123/",
    "unsubscribe": "https://haumai.example.vn/console/messaging/unsubscribe/sample/",
}
_ORDER = {
    "code": "DH-2026-000123",
    "total": 12990000,
    "placed_at": "2026-11-02T09:30:00+07:00",
    "delivered_at": "2026-11-04T15:10:00+07:00",
    "lines": [{"product": "Máy lọc không khí AirPure 300", "sku": "AP-300", "quantity": 1}],
}
_RETURN = {
    "code": "RMA-2026-000123",
    "status": "approved",
    "reason": "Sản phẩm lỗi",
    "order_code": "DH-2026-000123",
    "dropoff_code": "DROP-7K2Q",
    "refund_amount": 12990000,
}
_SHIPMENT = {"code": "SH-2026-000045", "carrier": "GHN", "tracking": "GHN5FQ7X9L", "status": "in_transit"}
_REFUND = {"code": "RF-2026-000067", "amount": 12990000, "method": "original"}
_UNIT = {"serial": "SN-AP300-000987", "product": "Máy lọc không khí AirPure 300", "warranty_expires": "2027-11-04"}

_APPOINTMENT = {
    "code": "AP-2026-000123",
    "when": "08/12/2026 09:00",
    "center": "Trung tâm bảo hành Cầu Giấy",
    "address": "123 Xuân Thủy, Cầu Giấy, Hà Nội",
}

# The care events of deliveries (haumai.shipping.services.care) carry these in their payload.
_DELIVERY = {"order_code": "DH-2026-000123", "carrier_name": "Giao Hàng Nhanh", "promised_date": "05/12/2026",
             "detail": "Khách hẹn giao lại", "problem": "late", "shipment_code": "SH-2026-000045"}

_APPOINTMENT_LINKS = {"appointment": "https://haumai.example.vn/portal/appointments/link/sample/"}

# Repair events (haumai.repairs) carry these; the quote link is built at send time (`links.quote`).
_REPAIR = {"code": "SC-2026-000214", "product": "Máy lọc không khí AirPure 300", "serial": "SN-AP300-000987",
           "center": "Trung tâm bảo hành Cầu Giấy", "promised_on": "2026-12-10", "total": 850_000,
           "expires_on": "2026-12-12", "service_days": 6}  # fmt: skip
_REPAIR_KEYS = ("repair.received", "repair.quoted", "repair.parts_awaited", "repair.ready", "repair.returned")
# warranty.expiring (haumai.warranty.services.expiry), with the extended plan it offers.
_EXPIRING = {"code": "BH-2026-000321", "serial": "SN-AP300-000987", "product": "Máy lọc không khí AirPure 300",
             "ends_on": "2027-11-04", "warranty_expires": "2027-11-04", "days_left": 30, "by_plan": False,
             "previous_ends_on": "", "plan": "GIAHAN-12T", "plan_name": "Gia hạn 12 tháng",
             "plan_price": 690_000}  # fmt: skip

_BY_KEY: dict[str, dict[str, Any]] = {
    "order.thank_you": {"order": _ORDER},
    "survey.satisfaction": {"order": _ORDER, "links": {"survey": "https://haumai.example.vn/s/sample/"}},
    "warranty.expiring": {"unit": _UNIT, "payload": _EXPIRING},
    **{
        key: {"payload": _REPAIR, "links": {"quote": "https://haumai.example.vn/portal/repairs/quote/sample/"}}
        for key in _REPAIR_KEYS
    },
    # Signed links are built when a message is sent (journeys.sending.register_links), never read from payloads.
    "maintenance.due": {
        "unit": _UNIT,
        "links": {"booking": "https://haumai.example.vn/portal/appointments/maintenance/sample/"},
    },
    "appointment.booked": {"payload": _APPOINTMENT, "links": _APPOINTMENT_LINKS},
    "appointment.reminder": {"payload": _APPOINTMENT, "links": _APPOINTMENT_LINKS},
    "birthday.greeting": {},
    "shipment.delayed": {"shipment": _SHIPMENT},
    "delivery.late": {"shipment": _SHIPMENT, "payload": _DELIVERY},
    "delivery.failed": {"shipment": _SHIPMENT, "payload": _DELIVERY},
    "delivery.returned": {"shipment": _SHIPMENT, "payload": _DELIVERY},
    "return.approved": {"return": _RETURN},
    "return.picked_up": {"return": _RETURN, "shipment": _SHIPMENT},
    "return.received": {"return": _RETURN},
    "refund.sent": {"refund": _REFUND, "return": _RETURN},
    "return.rejected": {"return": _RETURN},
    "loyalty.points_expiring": {
        "payload": {"points": 1250, "expires_on": "31/12/2026"},
        "links": {"rewards": "https://haumai.example.vn/portal/rewards/"},
    },
    "loyalty.tier_upgraded": {
        "payload": {
            "tier": "gold",
            "tier_vi": "Vàng",
            "tier_en": "Gold",
            "from": "silver",
            "from_vi": "Bạc",
            "from_en": "Silver",
        },
        "links": {"rewards": "https://haumai.example.vn/portal/rewards/"},
    },
    "loyalty.tier_downgrade_notice": {
        "payload": {
            "tier": "gold",
            "tier_vi": "Vàng",
            "tier_en": "Gold",
            "to": "silver",
            "to_vi": "Bạc",
            "to_en": "Silver",
            "review_on": "15/01/2027",
            "spend": 12000000,
            "spend_needed": 8000000,
        },
        "links": {"rewards": "https://haumai.example.vn/portal/rewards/"},
    },
    "loyalty.tier_downgraded": {
        "payload": {
            "tier": "silver",
            "tier_vi": "Bạc",
            "tier_en": "Silver",
            "from": "gold",
            "from_vi": "Vàng",
            "from_en": "Gold",
        },
        "links": {"rewards": "https://haumai.example.vn/portal/rewards/"},
    },
    "survey.invitation": {
        "survey": {
            "code": "SV-2026-000012",
            "name": "Hài lòng với hỗ trợ khách hàng",
            "subject_code": "RMA-2026-000123",
            "question": "Anh/chị hài lòng thế nào với cách chúng tôi hỗ trợ lần này?",
            "expires_at": "2026-12-16T10:00:00+07:00",
        },
        "links": {"survey": "https://haumai.example.vn/s/sample/"},
    },
}


# A journey's voucher step puts the code it gave into the run's later messages (`haumai.journeys.rewarding`);
# outside such a run there is none, so a template meant for both writes `{% if voucher is defined %}`.
_VOUCHER = {
    "code": "CAMON-7K2MQX9P",
    "value": "50.000 ₫",
    "min_order": "",
    "valid_until": "31/12/2026",
    "campaign": "Cảm ơn",
}


def sample_context(key: str) -> dict[str, Any]:
    """The sample context for a template key (every subject for keys without their own sample)."""
    context: dict[str, Any] = {
        "customer": dict(_CUSTOMER),
        "links": dict(_LINKS),
        "payload": {},
        "voucher": dict(_VOUCHER),
    }
    extra = _BY_KEY.get(key)
    if extra is None:
        extra = {"order": _ORDER, "return": _RETURN, "shipment": _SHIPMENT, "refund": _REFUND, "unit": _UNIT}
    for name, value in copy.deepcopy(extra).items():
        if name == "links":
            context["links"].update(value)
        else:
            context[name] = value
    return context


def built_in_keys() -> list[str]:
    """Keys of the templates that ship with Haumai."""
    return list(_BY_KEY)
