"""Survey journeys: the delivery journey's send becomes a real survey step (an invitation and its signed link,
`links.survey`), and surveys go out when a ticket is solved, a return is refunded and a repaired unit is back."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]


def _survey(survey_key: str, template_key: str = "survey.invitation") -> dict[str, Any]:
    return {"kind": "survey", "survey_key": survey_key, "template_key": template_key}


BUILTIN: list[dict[str, Any]] = [
    {
        "key": "survey-ticket-solved",
        "name": "Khảo sát hài lòng khi phiếu hỗ trợ được giải quyết",
        "description": "2 hours after a ticket is solved: CSAT about the support request.",
        "trigger_event": "ticket.solved",
        "allow_reentry": True,
        "exit_event": "ticket.reopened",
        "channel_order": SERVICE_ORDER,
        "steps": [{"kind": "wait", "wait_hours": 2}, _survey("csat-support")],
    },
    {
        "key": "survey-return-refunded",
        "name": "Khảo sát mức độ dễ dàng sau khi hoàn tiền đổi trả",
        "description": "1 day after a return is refunded: CES about the return.",
        "trigger_event": "return.refunded",
        "channel_order": SERVICE_ORDER,
        "steps": [{"kind": "wait", "wait_hours": 24}, _survey("ces-return")],
    },
    {
        "key": "survey-repair-returned",
        "name": "Khảo sát hài lòng sau khi trả máy sửa chữa",
        "description": "1 day after a repaired unit is handed back: CSAT about the repair.",
        "trigger_event": "repair.returned",
        "channel_order": SERVICE_ORDER,
        "steps": [{"kind": "wait", "wait_hours": 24}, _survey("csat-repair")],
    },
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    # The delivery journey (3 days after delivery) asks the order CSAT for real now.
    Journey.objects.filter(key="satisfaction-survey").update(
        description="3 days after delivery: the order CSAT survey (an invitation with its signed link)."
    )
    JourneyStep.objects.filter(journey__key="satisfaction-survey", kind="send", template_key="survey.satisfaction").update(
        kind="survey", survey_key="csat-order"
    )
    for spec in BUILTIN:
        spec = dict(spec)
        steps = spec.pop("steps")
        if Journey.objects.filter(key=spec["key"]).exists():
            continue
        journey = Journey.objects.create(trigger_kind="event", **spec)
        for position, step in enumerate(steps, start=1):
            JourneyStep.objects.create(journey=journey, position=position, **step)


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "JourneyStep").objects.filter(
        journey__key="satisfaction-survey", kind="survey"
    ).update(kind="send", survey_key="")
    apps.get_model("journeys", "Journey").objects.filter(key__in=[s["key"] for s in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("journeys", "0004_survey_step"), ("surveys", "0002_builtin_surveys")]
    operations = [migrations.RunPython(forwards, backwards)]
