"""Built-in templates of booking (haumai.repairs.booking): appointment confirmation and reminder on every
channel, and the SMS / Zalo OA / Zalo ZNS variants of `maintenance.due`; the built-in e-mail of
`maintenance.due` gets a second version carrying the signed booking link (edited ones stay as they are)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import EMAIL_EN, EMAIL_VI, _html, rows, zns_rows

FOOTERS = {
    "vi": "\n\nTrân trọng,\nĐội ngũ Chăm sóc khách hàng\nKhông muốn nhận thư này nữa? Hủy đăng ký: {{ links.unsubscribe }}",
    "en": "\n\nKind regards,\nCustomer Care team\nDon't want these e-mails? Unsubscribe: {{ links.unsubscribe }}",
}


def forwards(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for key, channel, language, name, subject, text, html in [*rows(), *zns_rows()]:
        template, created = Template.objects.get_or_create(
            key=key, channel=channel, language=language, defaults={"name": name, "is_active": channel != "zns"}
        )
        if created:
            version = TemplateVersion.objects.create(
                template=template, number=1, subject=subject, body_text=text, body_html=html, note="built-in"
            )
            template.current_version = version
            template.save(update_fields=["current_version"])
    for language, table in (("vi", EMAIL_VI), ("en", EMAIL_EN)):
        template = Template.objects.filter(key="maintenance.due", channel="email", language=language).first()
        current = template.current_version if template is not None else None
        if current is None or current.note != "built-in" or "payload.link" in current.body_text:
            continue
        _name, subject, text = table["maintenance.due"]
        body = text + FOOTERS[language]
        version = TemplateVersion.objects.create(
            template=template, number=current.number + 1, subject=subject, body_text=body, body_html=_html(body),
            note="built-in: signed booking link",
        )  # fmt: skip
        template.current_version = version
        template.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0006_survey_invitation_template")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
