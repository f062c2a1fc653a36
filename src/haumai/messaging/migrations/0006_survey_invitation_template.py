"""The built-in `survey.invitation` template: a survey link about any subject (order, return, ticket, repair).

Journeys' survey steps put `links.survey` (the signed form link) and `survey` (code, name, question,
subject_code, expires_at) into the context; `survey.satisfaction` stays for the order journey."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import _FOOTER_EN, _FOOTER_VI, _html

NAME = "Mời đánh giá dịch vụ"
ROWS: list[tuple[str, str, str, str, str]] = [
    (
        "email", "vi", "Anh/chị đánh giá thế nào về {{ survey.subject_code or 'dịch vụ của chúng tôi' }}?",
        "Chào anh/chị {{ customer.name }},\n\n"
        "{{ survey.question }}\n"
        "Chỉ mất 1 phút: {{ links.survey }}\n\n"
        "Liên kết có hiệu lực đến {{ survey.expires_at | date }}. Mọi góp ý giúp chúng tôi phục vụ anh/chị tốt hơn."
        + _FOOTER_VI,
        "",
    ),
    (
        "email", "en", "How did we do{{ ' with ' ~ survey.subject_code if survey.subject_code else '' }}?",
        "Hello {{ customer.name }},\n\n"
        "{{ survey.question }}\n"
        "It takes one minute: {{ links.survey }}\n\n"
        "The link works until {{ survey.expires_at | date }}." + _FOOTER_EN,
        "",
    ),
    ("sms", "vi", "", "Moi anh/chi danh gia dich vu {{ survey.subject_code }} (1 phut): {{ links.survey }}", ""),
    ("zalo", "vi", "", "Anh/chị đánh giá thế nào về {{ survey.subject_code or 'dịch vụ' }} vừa qua? "
     "Chỉ mất 1 phút: {{ links.survey }}", ""),
]


def create_template(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for channel, language, subject, text, _unused in ROWS:
        template, created = Template.objects.get_or_create(
            key="survey.invitation", channel=channel, language=language, defaults={"name": NAME}
        )
        if not created:
            continue
        version = TemplateVersion.objects.create(
            template=template, number=1, subject=subject, body_text=text,
            body_html=_html(text) if channel == "email" else "", note="built-in",
        )
        template.current_version = version
        template.save(update_fields=["current_version"])


def remove_template(apps: Any, schema_editor: Any) -> None:
    apps.get_model("messaging", "Template").objects.filter(
        key="survey.invitation", versions__deliveries__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0005_delivery_claimed_and_send_started")]
    operations = [migrations.RunPython(create_template, remove_template)]
