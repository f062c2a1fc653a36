"""The built-in expiry reminder reads the warranty records: the journey `warranty-expiry-reminder` (a date
rule on `Product.warranty_months` until now) listens to `warranty.expiring`, which the scheduler source
`warranty.expiry_reminders` emits once per warranty; the built-in `warranty.expiring` templates gain the
extended-plan offer (`payload.plan_name`, `payload.plan_price`) as a new version. A journey or template
the retailer changed is left alone."""

from __future__ import annotations

from typing import Any

from django.db import migrations

KEY = "warranty.expiring"
OFFER = {
    ("email", "vi"): "{% if payload.plan_name %}\n\nAnh/chị có thể gia hạn bảo hành với gói {{ payload.plan_name }} "
    "({{ payload.plan_price | vnd }}) trước khi bảo hành hết hạn, tại cửa hàng hoặc qua tổng đài.{% endif %}",
    ("email", "en"): "{% if payload.plan_name %}\n\nYou can extend the cover with {{ payload.plan_name }} "
    "({{ payload.plan_price | vnd }}) before the warranty ends, in store or by phone.{% endif %}",
}
SHORT_OFFER_VI = "{% if payload.plan_name %} Gia hạn: {{ payload.plan_name }} {{ payload.plan_price | vnd }}.{% endif %}"


def forward(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    Journey.objects.filter(key="warranty-expiry-reminder", trigger_kind="warranty_expiry").update(
        trigger_kind="event",
        trigger_event=KEY,
        next_enrollment_at=None,
        description="30 days before a warranty's last covered day (the warranty records, moved by days in "
        "service): remind, and offer the extended plan of the product's category when there is one.",
    )
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for template in Template.objects.filter(key=KEY).select_related("current_version"):
        current = template.current_version
        if template.channel == "zns" or current is None or "plan_name" in current.body_text:
            continue
        if current.created_by_id is not None:  # edited by the retailer
            continue
        offer = OFFER.get((template.channel, template.language))
        if offer is None:
            offer = SHORT_OFFER_VI if template.language == "vi" else ""
        if not offer:
            continue
        latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
        html = current.body_html
        if html:
            text = offer.replace("\n\n", "</p><p>")
            html = html.replace("</p></div>", text + "</p></div>", 1) if "</p></div>" in html else html + text
        version = TemplateVersion.objects.create(
            template=template,
            number=(latest.number if latest else 0) + 1,
            subject=current.subject,
            body_text=current.body_text + offer,
            body_html=html,
            provider_template_id=current.provider_template_id,
            note="built-in: extended plan offer",
        )
        template.current_version = version
        template.save(update_fields=["current_version"])


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "Journey").objects.filter(key="warranty-expiry-reminder", trigger_event=KEY).update(
        trigger_kind="warranty_expiry", trigger_event=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("warranty", "0005_expiry_reminder"),
        ("journeys", "0009_birthday_description"),
        ("messaging", "0009_birthday_voucher_line"),
    ]
    operations = [migrations.RunPython(forward, backward)]
