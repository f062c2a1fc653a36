"""The built-in birthday greeting shows the voucher a journey's voucher step gave (`voucher`, from
haumai.journeys.rewarding) and says nothing about an offer when there is none. Only templates whose current
text is still a built-in one get the new version."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import _html

LINES = {
    ("email", "vi"): "\n\n{% if voucher is defined %}Quà sinh nhật của anh/chị: mã {{ voucher.code }} giảm "
    "{{ voucher.value }}{% if voucher.min_order %} cho đơn từ {{ voucher.min_order }}{% endif %}, dùng đến "
    "{{ voucher.valid_until }}.{% endif %}",
    ("email", "en"): "\n\n{% if voucher is defined %}Your birthday gift: code {{ voucher.code }} for "
    "{{ voucher.value }} off{% if voucher.min_order %} orders from {{ voucher.min_order }}{% endif %}, valid until "
    "{{ voucher.valid_until }}.{% endif %}",
    ("sms", "vi"): "{% if voucher is defined %} Qua sinh nhat: ma {{ voucher.code }} giam {{ voucher.value }}, "
    "HSD {{ voucher.valid_until }}.{% endif %}",
    ("zalo", "vi"): "{% if voucher is defined %} Quà sinh nhật: mã {{ voucher.code }} giảm {{ voucher.value }}, "
    "dùng đến {{ voucher.valid_until }}.{% endif %}",
}


def forwards(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for (channel, language), line in LINES.items():
        template = Template.objects.filter(key="birthday.greeting", channel=channel, language=language).first()
        current = template.current_version if template is not None else None
        if current is None or not current.note.startswith("built-in") or "voucher" in current.body_text:
            continue
        body = current.body_text + line
        version = TemplateVersion.objects.create(
            template=template, number=current.number + 1, subject=current.subject, body_text=body,
            body_html=_html(body) if current.body_html else "", note="built-in: the birthday voucher",
        )  # fmt: skip
        template.current_version = version
        template.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0008_knowledge_usage_guide_link")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
