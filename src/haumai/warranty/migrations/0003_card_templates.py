"""Built-in `warranty.started` templates (the electronic warranty card): e-mail vi/en, Zalo OA and SMS vi.

Variables are those of the other unit templates (`unit.product`, `unit.serial`, `unit.warranty_expires`)
and `links.portal`, which is the signed link of the card page.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

KEY = "warranty.started"
_EMAIL_VI = (
    "Chào anh/chị {{ customer.name }},\n\n"
    "Phiếu bảo hành điện tử của {{ unit.product }} (số serial {{ unit.serial }}) đã được kích hoạt. "
    "Sản phẩm được bảo hành đến hết ngày {{ unit.warranty_expires | date }}.\n\n"
    "Xem, tải bản PDF hoặc gửi yêu cầu bảo hành: {{ links.portal }}\n\n"
    "Trân trọng,\nĐội ngũ Chăm sóc khách hàng"
)
_EMAIL_EN = (
    "Hello {{ customer.name }},\n\n"
    "The electronic warranty card of your {{ unit.product }} (serial {{ unit.serial }}) is active. "
    "It is covered until {{ unit.warranty_expires | date }}.\n\n"
    "View or download it as a PDF, or file a claim: {{ links.portal }}\n\n"
    "Kind regards,\nCustomer Care team"
)
ROWS = [
    ("email", "vi", "Phiếu bảo hành điện tử", "Phiếu bảo hành điện tử – {{ unit.product }}", _EMAIL_VI),
    ("email", "en", "Electronic warranty card", "Your electronic warranty card – {{ unit.product }}", _EMAIL_EN),
    (
        "zalo",
        "vi",
        "Phiếu bảo hành điện tử",
        "",
        "Phiếu bảo hành điện tử {{ unit.product }} (serial {{ unit.serial }}) có hiệu lực đến "
        "{{ unit.warranty_expires | date }}. Xem phiếu: {{ links.portal }}",
    ),
    (
        "sms",
        "vi",
        "Phiếu bảo hành điện tử",
        "",
        "Phieu bao hanh dien tu {{ unit.serial }} hieu luc den {{ unit.warranty_expires | date }}. "
        "Xem phieu: {{ links.portal }}",
    ),
]


def _html(text: str) -> str:
    body = "".join("<p>" + block.replace("\n", "<br>") + "</p>" for block in text.split("\n\n"))
    return '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">' + body + "</div>"


def create_templates(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for channel, language, name, subject, text in ROWS:
        template, created = Template.objects.get_or_create(
            key=KEY, channel=channel, language=language, defaults={"name": name}
        )
        if not created:
            continue
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


def remove_templates(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    Template.objects.filter(key=KEY, versions__deliveries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("warranty", "0002_default_policies"), ("messaging", "0002_builtin_templates")]

    operations = [migrations.RunPython(create_templates, remove_templates)]
