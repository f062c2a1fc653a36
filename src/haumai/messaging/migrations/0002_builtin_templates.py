"""Built-in templates: vi + en e-mails for every key, Vietnamese SMS and Zalo OA texts where they fit."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import rows


def create_templates(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for key, channel, language, name, subject, text, html in rows():
        template, created = Template.objects.get_or_create(
            key=key, channel=channel, language=language, defaults={"name": name}
        )
        if not created:
            continue
        version = TemplateVersion.objects.create(
            template=template, number=1, subject=subject, body_text=text, body_html=html, note="built-in"
        )
        template.current_version = version
        template.save(update_fields=["current_version"])


def remove_templates(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    for key, channel, language, *_ in rows():
        Template.objects.filter(key=key, channel=channel, language=language, versions__deliveries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(create_templates, remove_templates)]
