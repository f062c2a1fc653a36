"""The booking links leave the event payloads, like the quote link in 0006: the built-in `maintenance.due` and
`appointment.*` templates read `links.booking` / `links.appointment` (built when the message is prepared by
`repairs.booking.links`) instead of `payload.link`; the signed links already stored in those events lose
their `link` (a `maintenance.due` event gets the schedule id the message needs instead), and so do the copies
in outbound webhook deliveries (also `quote_link` of `repair.quoted`, which 0006 left there). A template the
retailer edited gets a new version with the same replacement; its older versions stay."""

from __future__ import annotations

from typing import Any

from django.db import migrations

APPOINTMENT_EVENTS = (
    "appointment.booked", "appointment.rescheduled", "appointment.reminder_due", "appointment.cancelled",
    "appointment.checked_in", "appointment.no_show",
)  # fmt: skip
# template key -> the send-time link that replaces `payload.link`
TEMPLATE_LINKS = {
    "maintenance.due": "links.booking",
    "appointment.booked": "links.appointment",
    "appointment.reminder": "links.appointment",
}
OLD = "payload.link"


def _replaced(source: str, link: str) -> str:
    # `default` keeps the message working where no builder ran (a date-rule journey, a manual send).
    new = f"{link} | default(links.portal)"
    return source.replace(f"{OLD} or links.portal", new).replace(OLD, new)


def _templates(apps: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for template in Template.objects.filter(key__in=list(TEMPLATE_LINKS)).select_related("current_version"):
        current = template.current_version
        if current is None or OLD not in current.body_text + current.body_html + current.subject:
            continue
        link = TEMPLATE_LINKS[template.key]
        latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
        version = TemplateVersion.objects.create(
            template=template,
            number=(latest.number if latest else 0) + 1,
            subject=_replaced(current.subject, link),
            body_text=_replaced(current.body_text, link),
            body_html=_replaced(current.body_html, link),
            provider_template_id=current.provider_template_id,
            note="built-in: the booking link is built when the message is sent",
        )
        template.current_version = version
        template.save(update_fields=["current_version"])


def _schedule_id(apps: Any, event: Any) -> int | None:
    MaintenanceSchedule = apps.get_model("repairs", "MaintenanceSchedule")
    if event.subject_type != "catalog.unit" or not event.subject_id or not event.customer_id:
        return None
    rows = MaintenanceSchedule.objects.filter(unit_id=event.subject_id, customer_id=event.customer_id)
    plan = (event.payload or {}).get("plan")
    if plan:
        rows = rows.filter(plan__name=plan)
    return rows.order_by("pk").values_list("pk", flat=True).first()


def _events(apps: Any) -> None:
    Event = apps.get_model("events", "Event")
    rows = Event.objects.filter(name__in=["maintenance.due", *APPOINTMENT_EVENTS]).only(
        "pk", "name", "payload", "subject_type", "subject_id", "customer_id"
    )
    for event in rows.iterator(chunk_size=500):
        if not isinstance(event.payload, dict) or "link" not in event.payload:
            continue
        payload = {k: v for k, v in event.payload.items() if k != "link"}
        if event.name == "maintenance.due" and "schedule" not in payload:
            schedule = _schedule_id(apps, event)
            if schedule is not None:
                payload["schedule"] = schedule
        Event.objects.filter(pk=event.pk).update(payload=payload)


def _webhook_copies(apps: Any) -> None:
    Delivery = apps.get_model("messaging", "Delivery")
    names = ["maintenance.due", "repair.quoted", *APPOINTMENT_EVENTS]
    rows = Delivery.objects.filter(channel="webhook", template_key__in=names).only("pk", "payload")
    for delivery in rows.iterator(chunk_size=500):
        body = delivery.payload if isinstance(delivery.payload, dict) else {}
        inner = body.get("payload")
        if not isinstance(inner, dict) or not ({"link", "quote_link"} & set(inner)):
            continue
        cleaned = {k: v for k, v in inner.items() if k not in ("link", "quote_link")}
        Delivery.objects.filter(pk=delivery.pk).update(payload={**body, "payload": cleaned})


def forward(apps: Any, schema_editor: Any) -> None:
    _templates(apps)
    _events(apps)
    _webhook_copies(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0007_goodwill_outsourcing"),
        ("messaging", "0009_birthday_voucher_line"),
        ("events", "0001_initial"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
