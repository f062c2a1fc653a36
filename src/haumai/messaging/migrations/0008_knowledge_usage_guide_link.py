"""The built-in thank-you message after delivery (journey "order-thank-you") links the usage guide of the
delivered product (`links.guide`, from haumai.knowledge; the portal when there is none) instead of only the
portal home. Only templates whose current text is still a built-in one get the new version."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import _html

GUIDE = "{{ links.guide | default(links.portal) }}"
REPLACEMENTS = {
    ("email", "vi"): (
        "Hướng dẫn sử dụng, thông tin bảo hành và yêu cầu đổi trả: {{ links.portal }}",
        f"Hướng dẫn sử dụng sản phẩm: {GUIDE}\nThông tin bảo hành và yêu cầu đổi trả: {{{{ links.portal }}}}",
    ),
    ("email", "en"): (
        "User guides, warranty and returns: {{ links.portal }}",
        f"How to use your product: {GUIDE}\nWarranty and returns: {{{{ links.portal }}}}",
    ),
    ("zalo", "vi"): (
        "Hướng dẫn sử dụng và bảo hành: {{ links.portal }}",
        f"Hướng dẫn sử dụng: {GUIDE} · Bảo hành: {{{{ links.portal }}}}",
    ),
    ("zalo", "en"): (
        "User guides and warranty: {{ links.portal }}",
        f"How to use it: {GUIDE} · Warranty: {{{{ links.portal }}}}",
    ),
}


def forwards(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for (channel, language), (old, new) in REPLACEMENTS.items():
        template = Template.objects.filter(key="order.thank_you", channel=channel, language=language).first()
        current = template.current_version if template is not None else None
        if current is None or not current.note.startswith("built-in") or old not in current.body_text:
            continue
        body = current.body_text.replace(old, new)
        version = TemplateVersion.objects.create(
            template=template, number=current.number + 1, subject=current.subject, body_text=body,
            body_html=_html(body) if current.body_html else "", note="built-in: usage guide of the product",
        )  # fmt: skip
        template.current_version = version
        template.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0007_booking_templates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
