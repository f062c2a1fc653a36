"""Built-in delivery care (haumai.shipping.services.care): a delivery later than promised, stuck without carrier
news, failed at an attempt or returned to the sender opens a care task for the team and, except when stuck
(the "Báo giao hàng chậm" journey already writes then), tells the customer. Service messages: consent is
respected, quiet hours are not (a parcel problem is news the customer wants at once). No re-entry: one task
and one notice per delivery and problem. The message templates (vi/en e-mail, vi SMS and Zalo OA) are
created here with the journeys that use them; edited ones are left alone."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import _FOOTER_EN, _FOOTER_VI, _html

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]
TRACK_VI = "Theo dõi đơn hàng: {{ links.portal }}"
TRACK_EN = "Follow your order: {{ links.portal }}"

# key -> {(channel, language): (name, subject, text)}
TEMPLATES: dict[str, dict[tuple[str, str], tuple[str, str, str]]] = {
    "delivery.late": {
        ("email", "vi"): (
            "Giao hàng trễ hẹn",
            "Đơn {{ payload.order_code }} giao trễ hơn dự kiến",
            "Chào anh/chị {{ customer.name }},\n\n"
            "Đơn hàng {{ payload.order_code }} chưa được giao đúng hẹn{% if payload.promised_date %} ngày "
            "{{ payload.promised_date }}{% endif %}. Chúng tôi rất xin lỗi và đang làm việc với "
            "{{ payload.carrier_name }} (mã vận đơn {{ shipment.tracking }}) để giao đến anh/chị sớm nhất; "
            "chúng tôi sẽ báo ngay khi có tin mới.\n\n" + TRACK_VI,
        ),
        ("email", "en"): (
            "Delivery late",
            "Order {{ payload.order_code }} is later than promised",
            "Hello {{ customer.name }},\n\n"
            "Order {{ payload.order_code }} was not delivered on time{% if payload.promised_date %} "
            "({{ payload.promised_date }}){% endif %}. We are sorry, and we are working with "
            "{{ payload.carrier_name }} (tracking {{ shipment.tracking }}) to bring it to you as soon as possible; "
            "we will tell you as soon as we hear more.\n\n" + TRACK_EN,
        ),
        ("sms", "vi"): (
            "Giao hàng trễ hẹn",
            "",
            "Don {{ payload.order_code }} giao tre hon du kien. Chung toi dang lam viec voi "
            "{{ payload.carrier_name }} de giao som nhat. Xin loi quy khach.",
        ),
        ("zalo", "vi"): (
            "Giao hàng trễ hẹn",
            "",
            "Đơn {{ payload.order_code }} giao trễ hơn dự kiến{% if payload.promised_date %} (hẹn "
            "{{ payload.promised_date }}){% endif %}. Chúng tôi rất xin lỗi và đang làm việc với "
            "{{ payload.carrier_name }} để giao sớm nhất. Theo dõi: {{ links.portal }}",
        ),
    },
    "delivery.failed": {
        ("email", "vi"): (
            "Giao hàng không thành công",
            "Chưa giao được đơn {{ payload.order_code }}",
            "Chào anh/chị {{ customer.name }},\n\n"
            "{{ payload.carrier_name }} chưa giao được đơn hàng {{ payload.order_code }}"
            "{% if payload.detail %} ({{ payload.detail }}){% endif %}. Nhân viên của chúng tôi sẽ liên hệ anh/chị "
            "để hẹn lại thời gian hoặc giao bù. Muốn đổi địa chỉ hay giờ nhận, anh/chị trả lời thư này.\n\n" + TRACK_VI,
        ),
        ("email", "en"): (
            "Delivery attempt failed",
            "We could not deliver order {{ payload.order_code }}",
            "Hello {{ customer.name }},\n\n"
            "{{ payload.carrier_name }} could not deliver order {{ payload.order_code }}"
            "{% if payload.detail %} ({{ payload.detail }}){% endif %}. Our team will contact you to agree on a new "
            "time or a re-delivery. To change the address or the time, reply to this e-mail.\n\n" + TRACK_EN,
        ),
        ("sms", "vi"): (
            "Giao hàng không thành công",
            "",
            "{{ payload.carrier_name }} chua giao duoc don {{ payload.order_code }}. Nhan vien se lien he "
            "quy khach de hen lai hoac giao bu.",
        ),
        ("zalo", "vi"): (
            "Giao hàng không thành công",
            "",
            "{{ payload.carrier_name }} chưa giao được đơn {{ payload.order_code }}. Nhân viên sẽ liên hệ "
            "anh/chị để hẹn lại thời gian hoặc giao bù. Theo dõi: {{ links.portal }}",
        ),
    },
    "delivery.returned": {
        ("email", "vi"): (
            "Đơn hàng bị hoàn về",
            "Đơn {{ payload.order_code }} đã bị hoàn về cửa hàng",
            "Chào anh/chị {{ customer.name }},\n\n"
            "Đơn hàng {{ payload.order_code }} không giao được và đã được {{ payload.carrier_name }} hoàn về cửa "
            "hàng. Chúng tôi rất xin lỗi. Nhân viên sẽ liên hệ anh/chị để giao lại (giao bù) hoặc hoàn tiền theo "
            "lựa chọn của anh/chị.\n\n" + TRACK_VI,
        ),
        ("email", "en"): (
            "Delivery returned",
            "Order {{ payload.order_code }} went back to the shop",
            "Hello {{ customer.name }},\n\n"
            "Order {{ payload.order_code }} could not be delivered and {{ payload.carrier_name }} brought it back "
            "to the shop. We are sorry. Our team will contact you to deliver it again or refund it, as you "
            "prefer.\n\n" + TRACK_EN,
        ),
        ("sms", "vi"): (
            "Đơn hàng bị hoàn về",
            "",
            "Don {{ payload.order_code }} da bi hoan ve cua hang. Nhan vien se lien he de giao bu hoac hoan tien.",
        ),
        ("zalo", "vi"): (
            "Đơn hàng bị hoàn về",
            "",
            "Đơn {{ payload.order_code }} không giao được và đã hoàn về cửa hàng. Nhân viên sẽ liên hệ anh/chị "
            "để giao bù hoặc hoàn tiền.",
        ),
    },
}

FOOTERS = {"vi": _FOOTER_VI, "en": _FOOTER_EN}

JOURNEYS: list[dict[str, Any]] = [
    {
        "key": "delivery-late",
        "name": "Giao hàng trễ hẹn: báo khách và giao việc cho đội",
        "description": "A delivery is later than the date promised to the customer: a task for the team, then an "
        "apology with the carrier and tracking code.",
        "trigger_event": "delivery.late",
        "task": "Đơn giao trễ hẹn: hỏi hãng vận chuyển và gọi khách",
        "template": "delivery.late",
    },
    {
        "key": "delivery-stuck",
        "name": "Đơn giao không có tin từ hãng: giao việc cho đội",
        "description": "A delivery without carrier news for too long: a task for the team (the customer's notice "
        "comes from the 'Báo giao hàng chậm' journey).",
        "trigger_event": "delivery.stuck",
        "task": "Đơn giao không có tin từ hãng: kiểm tra với hãng vận chuyển",
        "template": "",
    },
    {
        "key": "delivery-failed",
        "name": "Giao hàng không thành công: báo khách và giao việc cho đội",
        "description": "A delivery attempt failed: a task to call the customer (new time or re-delivery), and a "
        "message that we will.",
        "trigger_event": "delivery.failed",
        "task": "Giao không thành công: gọi khách hẹn lại hoặc giao bù",
        "template": "delivery.failed",
    },
    {
        "key": "delivery-returned",
        "name": "Đơn bị hoàn về: báo khách và giao việc cho đội",
        "description": "A delivery went back to the sender: a task to re-deliver (giao bù) or refund, and a message "
        "to the customer.",
        "trigger_event": "delivery.returned",
        "task": "Đơn bị hoàn về: gọi khách, giao bù hoặc hoàn tiền",
        "template": "delivery.returned",
    },
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    for key, variants in TEMPLATES.items():
        for (channel, language), (name, subject, text) in variants.items():
            template, created = Template.objects.get_or_create(
                key=key, channel=channel, language=language, defaults={"name": name, "is_active": True}
            )
            if not created:
                continue
            body = text + FOOTERS[language] if channel == "email" else text
            version = TemplateVersion.objects.create(
                template=template, number=1, subject=subject, body_text=body,
                body_html=_html(body) if channel == "email" else "", note="built-in",
            )  # fmt: skip
            template.current_version = version
            template.save(update_fields=["current_version"])
    for spec in JOURNEYS:
        if Journey.objects.filter(key=spec["key"]).exists():
            continue
        journey = Journey.objects.create(
            key=spec["key"], name=spec["name"], description=spec["description"], trigger_kind="event",
            trigger_event=spec["trigger_event"], channel_order=SERVICE_ORDER, purpose="service",
            allow_quiet_hours=True, allow_reentry=False,
        )  # fmt: skip
        JourneyStep.objects.create(journey=journey, position=1, kind="task", task_title=spec["task"])
        if spec["template"]:
            JourneyStep.objects.create(journey=journey, position=2, kind="send", template_key=spec["template"])


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "Journey").objects.filter(key__in=[s["key"] for s in JOURNEYS]).delete()
    apps.get_model("messaging", "Template").objects.filter(key__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("journeys", "0010_restricted_reason"), ("messaging", "0009_birthday_voucher_line")]

    operations = [migrations.RunPython(forwards, backwards)]
