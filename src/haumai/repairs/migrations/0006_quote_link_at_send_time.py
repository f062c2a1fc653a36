"""The quote link leaves the event payload: the built-in `repair.quoted` templates read `links.quote` (built
when the message is prepared) instead of `payload.quote_link`, and the links already stored in
`repair.quoted` events are removed (anyone reading payloads, e.g. a webhook subscriber, could answer them).
A template edited by the retailer gets a new version with the same replacement; its older versions stay."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OLD, NEW = "payload.quote_link", "links.quote"


def forward(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for template in Template.objects.filter(key="repair.quoted").select_related("current_version"):
        current = template.current_version
        if current is None or OLD not in current.body_text + current.body_html + current.subject:
            continue
        latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
        version = TemplateVersion.objects.create(
            template=template,
            number=(latest.number if latest else 0) + 1,
            subject=current.subject.replace(OLD, NEW),
            body_text=current.body_text.replace(OLD, NEW),
            body_html=current.body_html.replace(OLD, NEW),
            provider_template_id=current.provider_template_id,
            note="built-in: the quote link is built when the message is sent",
        )
        template.current_version = version
        template.save(update_fields=["current_version"])
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(name="repair.quoted").only("pk", "payload").iterator(chunk_size=500):
        if isinstance(event.payload, dict) and "quote_link" in event.payload:
            payload = {k: v for k, v in event.payload.items() if k != "quote_link"}
            Event.objects.filter(pk=event.pk).update(payload=payload)


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0005_repair_ready_index"),
        ("messaging", "0004_delivery_due_id_index"),
        ("events", "0001_initial"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
