"""Built-in notifications of a repair (received, quote to approve, waiting for parts, ready for pickup,
returned): messaging templates (e-mail vi/en, Zalo vi, SMS vi) and one event journey per event.

Templates read the event payload: `payload.code`, `payload.product`, `payload.serial`, `payload.center`,
`payload.promised_on`, `payload.total`, `payload.quote_link`, `payload.expires_on`, `payload.service_days`.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]
SIGN_VI = "\n\nTrân trọng,\nTrung tâm bảo hành"
SIGN_EN = "\n\nKind regards,\nService centre"

# key: (journey name, allow re-entry, e-mail subject vi, e-mail vi, subject en, e-mail en, Zalo vi, SMS vi)
NOTICES: dict[str, tuple[str, bool, str, str, str, str, str, str]] = {
    "repair.received": (
        "Đã tiếp nhận sản phẩm bảo hành, sửa chữa",
        False,
        "Đã tiếp nhận {{ payload.product }} – phiếu {{ payload.code }}",
        "Chào anh/chị {{ customer.name }},\n\n{{ payload.center }} đã tiếp nhận {{ payload.product }} "
        "(serial {{ payload.serial }}), phiếu {{ payload.code }}. Ngày hẹn trả dự kiến: "
        "{{ payload.promised_on | date }}. Anh/chị theo dõi tiến độ tại {{ links.portal }}" + SIGN_VI,
        "We received your {{ payload.product }} – {{ payload.code }}",
        "Hello {{ customer.name }},\n\n{{ payload.center }} received your {{ payload.product }} "
        "(serial {{ payload.serial }}), repair {{ payload.code }}. Expected completion: "
        "{{ payload.promised_on | date }}. Follow it at {{ links.portal }}" + SIGN_EN,
        "Đã tiếp nhận {{ payload.product }} (serial {{ payload.serial }}), phiếu {{ payload.code }}. "
        "Hẹn trả: {{ payload.promised_on | date }}.",
        "Da tiep nhan may {{ payload.serial }}, phieu {{ payload.code }}. Hen tra {{ payload.promised_on | date }}.",
    ),
    "repair.quoted": (
        "Báo giá sửa chữa cần khách đồng ý",
        True,
        "Báo giá sửa chữa {{ payload.code }}",
        "Chào anh/chị {{ customer.name }},\n\nChi phí sửa {{ payload.product }} (phiếu {{ payload.code }}) là "
        "{{ payload.total | vnd }}. Anh/chị vui lòng đồng ý hoặc từ chối trước ngày {{ payload.expires_on | date }} "
        "tại: {{ payload.quote_link }}" + SIGN_VI,
        "Repair quote {{ payload.code }}",
        "Hello {{ customer.name }},\n\nRepairing your {{ payload.product }} ({{ payload.code }}) costs "
        "{{ payload.total | vnd }}. Please approve or decline before {{ payload.expires_on | date }}: "
        "{{ payload.quote_link }}" + SIGN_EN,
        "Báo giá sửa {{ payload.product }} (phiếu {{ payload.code }}): {{ payload.total | vnd }}. "
        "Đồng ý hoặc từ chối: {{ payload.quote_link }}",
        "Bao gia sua phieu {{ payload.code }}: {{ payload.total | vnd }}. Tra loi: {{ payload.quote_link }}",
    ),
    "repair.parts_awaited": (
        "Sửa chữa đang chờ linh kiện",
        True,
        "Phiếu {{ payload.code }} đang chờ linh kiện",
        "Chào anh/chị {{ customer.name }},\n\n{{ payload.product }} (phiếu {{ payload.code }}) đang chờ linh kiện "
        "thay thế. Chúng tôi sẽ báo ngay khi có linh kiện. Xin lỗi anh/chị vì sự chậm trễ." + SIGN_VI,
        "{{ payload.code }} is waiting for parts",
        "Hello {{ customer.name }},\n\nYour {{ payload.product }} ({{ payload.code }}) is waiting for a spare "
        "part. We will tell you as soon as it arrives. Sorry for the delay." + SIGN_EN,
        "{{ payload.product }} (phiếu {{ payload.code }}) đang chờ linh kiện. Chúng tôi sẽ báo khi có linh kiện.",
        "Phieu {{ payload.code }} dang cho linh kien. Chung toi se bao khi co linh kien.",
    ),
    "repair.ready": (
        "Sản phẩm sửa xong, mời nhận máy",
        True,
        "{{ payload.product }} đã sẵn sàng – phiếu {{ payload.code }}",
        "Chào anh/chị {{ customer.name }},\n\n{{ payload.product }} (phiếu {{ payload.code }}) đã sẵn sàng. "
        "Mời anh/chị đến {{ payload.center }} nhận máy, nhớ mang theo giấy tiếp nhận." + SIGN_VI,
        "Your {{ payload.product }} is ready – {{ payload.code }}",
        "Hello {{ customer.name }},\n\nYour {{ payload.product }} ({{ payload.code }}) is ready. Please collect "
        "it at {{ payload.center }} and bring the intake receipt." + SIGN_EN,
        "{{ payload.product }} (phiếu {{ payload.code }}) đã sẵn sàng. Mời anh/chị đến {{ payload.center }} nhận máy.",
        "May phieu {{ payload.code }} da san sang. Moi anh/chi den nhan may.",
    ),
    "repair.returned": (
        "Đã trả máy sau bảo hành, sửa chữa",
        False,
        "Cảm ơn anh/chị – phiếu {{ payload.code }}",
        "Chào anh/chị {{ customer.name }},\n\nAnh/chị đã nhận lại {{ payload.product }} (phiếu {{ payload.code }}). "
        "{% if payload.service_days %}Thời hạn bảo hành được cộng thêm {{ payload.service_days }} ngày nằm bảo "
        "hành. {% endif %}Cảm ơn anh/chị đã tin tưởng." + SIGN_VI,
        "Thank you – {{ payload.code }}",
        "Hello {{ customer.name }},\n\nYou collected your {{ payload.product }} ({{ payload.code }}). "
        "{% if payload.service_days %}Your warranty was extended by {{ payload.service_days }} days in service. "
        "{% endif %}Thank you for your trust." + SIGN_EN,
        "Anh/chị đã nhận lại {{ payload.product }} (phiếu {{ payload.code }}). Cảm ơn anh/chị!",
        "Da tra may phieu {{ payload.code }}. Cam on anh/chi!",
    ),
}


def _html(text: str) -> str:
    body = "".join("<p>" + block.replace("\n", "<br>") + "</p>" for block in text.split("\n\n"))
    return '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">' + body + "</div>"


def _template(apps: Any, key: str, channel: str, language: str, name: str, subject: str, text: str) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    template, created = Template.objects.get_or_create(
        key=key, channel=channel, language=language, defaults={"name": name}
    )
    if not created:
        return
    version = TemplateVersion.objects.create(
        template=template,
        number=1,
        subject=subject,
        body_text=text,
        body_html=_html(text) if channel == "email" else "",
        note="built-in",
    )
    template.current_version = version
    template.save(update_fields=["current_version"])


def create(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    for key, (name, reentry, subject_vi, email_vi, subject_en, email_en, zalo_vi, sms_vi) in NOTICES.items():
        _template(apps, key, "email", "vi", name, subject_vi, email_vi)
        _template(apps, key, "email", "en", name, subject_en, email_en)
        _template(apps, key, "zalo", "vi", name, "", zalo_vi)
        _template(apps, key, "sms", "vi", name, "", sms_vi)
        journey_key = key.replace(".", "-").replace("_", "-")
        if Journey.objects.filter(key=journey_key).exists():
            continue
        journey = Journey.objects.create(
            key=journey_key,
            name=name,
            description=f"Tell the customer ({key}).",
            trigger_kind="event",
            trigger_event=key,
            allow_reentry=reentry,
            channel_order=SERVICE_ORDER,
        )
        JourneyStep.objects.create(journey=journey, position=1, kind="send", template_key=key)


def remove(apps: Any, schema_editor: Any) -> None:
    keys = list(NOTICES)
    apps.get_model("journeys", "Journey").objects.filter(key__in=[k.replace(".", "-").replace("_", "-") for k in keys]).delete()
    apps.get_model("messaging", "Template").objects.filter(key__in=keys, versions__deliveries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0002_repair_orders"),
        ("journeys", "0003_journeyrun_due_id_index"),
        ("messaging", "0004_delivery_due_id_index"),
    ]
    operations = [migrations.RunPython(create, remove)]
