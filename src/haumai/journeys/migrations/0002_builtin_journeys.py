"""Built-in journeys, shipped as editable data (the templates with the same keys come from messaging)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]
EMAIL_FIRST = ["email", "zalo", "zns", "sms"]


def _send(template_key: str) -> dict[str, Any]:
    return {"kind": "send", "template_key": template_key}


def _wait(hours: int) -> dict[str, Any]:
    return {"kind": "wait", "wait_hours": hours}


BUILTIN: list[dict[str, Any]] = [
    {
        "key": "order-thank-you",
        "name": "Cảm ơn và hướng dẫn sử dụng sau khi giao hàng",
        "description": "2 hours after delivery: thank the customer and send the usage guide.",
        "trigger_event": "order.delivered",
        "channel_order": EMAIL_FIRST,
        "steps": [_wait(2), _send("order.thank_you")],
    },
    {
        "key": "satisfaction-survey",
        "name": "Khảo sát hài lòng 3 ngày sau khi giao",
        "description": "3 days after delivery: a message with the survey link (responses are not collected yet: "
        "there is no surveys app).",
        "trigger_event": "order.delivered",
        "exit_event": "return.requested",
        "channel_order": SERVICE_ORDER,
        "steps": [_wait(72), _send("survey.satisfaction")],
    },
    {
        "key": "warranty-expiry-reminder",
        "name": "Nhắc bảo hành sắp hết hạn (30 ngày)",
        "description": "30 days before a product's warranty ends (from purchase, or delivery for appliances).",
        "trigger_kind": "warranty_expiry",
        "trigger_days": 30,
        "channel_order": SERVICE_ORDER,
        "steps": [_send("warranty.expiring")],
    },
    {
        "key": "air-conditioner-maintenance",
        "name": "Nhắc bảo dưỡng điều hòa (6 tháng)",
        "description": "Every 180 days after buying an air conditioner: remind to clean and service it.",
        "trigger_kind": "maintenance_due",
        "trigger_days": 180,
        "trigger_category": "dieu-hoa",
        "channel_order": SERVICE_ORDER,
        "steps": [_send("maintenance.due")],
    },
    {
        "key": "birthday-greeting",
        "name": "Chúc mừng sinh nhật kèm ưu đãi",
        "description": "On the birthday: greeting with a voucher text (no loyalty app yet: the voucher is text only).",
        "trigger_kind": "birthday",
        "purpose": "marketing",
        "allow_reentry": True,
        "channel_order": SERVICE_ORDER,
        "steps": [_send("birthday.greeting")],
    },
    {
        "key": "shipment-delayed",
        "name": "Báo giao hàng chậm",
        "description": "When a shipment is stuck: apologise and give the tracking link.",
        "trigger_event": "shipment.delayed",
        "allow_reentry": True,
        "channel_order": SERVICE_ORDER,
        "steps": [_send("shipment.delayed")],
    },
    {
        "key": "return-approved",
        "name": "Yêu cầu đổi trả đã được duyệt",
        "description": "Tell the customer the drop-off QR code or the pickup time.",
        "trigger_event": "return.approved",
        "channel_order": SERVICE_ORDER,
        "steps": [_send("return.approved")],
    },
    {
        "key": "return-picked-up",
        "name": "Đã lấy hàng đổi trả",
        "trigger_event": "return.picked_up",
        "channel_order": SERVICE_ORDER,
        "steps": [_send("return.picked_up")],
    },
    {
        "key": "return-received",
        "name": "Chúng tôi đã nhận hàng trả",
        "trigger_event": "return.received",
        "channel_order": SERVICE_ORDER,
        "steps": [_send("return.received")],
    },
    {
        "key": "refund-sent",
        "name": "Đã hoàn tiền",
        "trigger_event": "refund.sent",
        "allow_reentry": True,
        "channel_order": SERVICE_ORDER,
        "steps": [_send("refund.sent")],
    },
]


def create_builtin(apps: Any, schema_editor: Any) -> None:
    from django.utils import timezone

    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    for spec in BUILTIN:
        spec = dict(spec)
        steps = spec.pop("steps")
        if Journey.objects.filter(key=spec["key"]).exists():
            continue
        spec.setdefault("trigger_kind", "event")
        if spec["trigger_kind"] != "event":
            spec["next_enrollment_at"] = timezone.now()
        journey = Journey.objects.create(**spec)
        for position, step in enumerate(steps, start=1):
            JourneyStep.objects.create(journey=journey, position=position, **step)


def remove_builtin(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "Journey").objects.filter(key__in=[s["key"] for s in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]
    operations = [migrations.RunPython(create_builtin, remove_builtin)]
