"""Built-in journeys of booking: appointment confirmation and reminder (signed links), and the
maintenance reminder driven by the per-unit schedules (`maintenance.due`), which replaces the
days-after-purchase air-conditioner rule (switched off so customers are not reminded twice)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]

BUILTIN: list[dict[str, Any]] = [
    {
        "key": "appointment-booked",
        "name": "Xác nhận lịch hẹn tại trung tâm bảo hành",
        "description": "When an appointment is booked: confirm it with a signed link to see or cancel it.",
        "trigger_event": "appointment.booked",
        "template": "appointment.booked",
    },
    {
        "key": "appointment-reminder",
        "name": "Nhắc lịch hẹn (1 ngày trước)",
        "description": "A day before the appointment: remind it with a signed link to cancel or move it.",
        "trigger_event": "appointment.reminder_due",
        "template": "appointment.reminder",
    },
    {
        "key": "maintenance-due-reminder",
        "name": "Nhắc bảo trì định kỳ theo lịch của sản phẩm",
        "description": "A week before a unit's maintenance is due (its product's plan): remind it with a link "
        "to book the visit or appointment.",
        "trigger_event": "maintenance.due",
        "template": "maintenance.due",
    },
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    for spec in BUILTIN:
        if Journey.objects.filter(key=spec["key"]).exists():
            continue
        journey = Journey.objects.create(
            key=spec["key"], name=spec["name"], description=spec["description"], trigger_kind="event",
            trigger_event=spec["trigger_event"], channel_order=SERVICE_ORDER, allow_reentry=True,
        )  # fmt: skip
        JourneyStep.objects.create(journey=journey, position=1, kind="send", template_key=spec["template"])
    Journey.objects.filter(key="air-conditioner-maintenance", trigger_kind="maintenance_due").update(is_active=False)


def backwards(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    Journey.objects.filter(key__in=[s["key"] for s in BUILTIN]).delete()
    Journey.objects.filter(key="air-conditioner-maintenance").update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0005_builtin_survey_journeys"), ("messaging", "0007_booking_templates")]

    operations = [migrations.RunPython(forwards, backwards)]
