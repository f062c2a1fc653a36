"""Personal data held by journeys: each run's context (what triggered it) and the step log's messages;
care tasks point at the customer (haumai.privacy). After a deletion, runs are stopped and scrubbed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.journeys.models import CareTask, JourneyRun, RunStatus, StepRun, TaskStatus
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import scrub, scrub_text


def export(person: Person) -> ExportPart:
    """The journeys the person went through and the care tasks about them."""
    return ExportPart(
        tables={
            "journeys.journeyrun": rows(
                JourneyRun.objects.filter(customer=person.customer).order_by("started_at", "id"),
                ("journey__name", "subject_label", "status", "started_at", "finished_at", "context"),
            ),
            "journeys.steprun": rows(
                StepRun.objects.filter(run__customer=person.customer).order_by("run_id", "id"),
                ("run__journey__name", "kind", "outcome", "reason", "channel", "template_key", "created_at"),
            ),
            "journeys.caretask": rows(
                CareTask.objects.filter(customer=person.customer).order_by("created_at", "id"),
                ("title", "subject_label", "status", "created_at", "done_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Stop active runs, clear their context, scrub step messages, close open care tasks."""
    now = clock.now()
    with transaction.atomic():
        runs = JourneyRun.objects.filter(customer=person.customer)
        runs.filter(status=RunStatus.ACTIVE).update(status=RunStatus.EXITED, due_at=None, finished_at=now)
        run_count = runs.update(context={})
        steps = 0
        for step in StepRun.objects.filter(run__customer=person.customer).exclude(message="").only("id", "message"):
            step.message = scrub_text(step.message, person)
            step.save(update_fields=["message"])
            steps += 1
        tasks = 0
        for task in CareTask.objects.filter(customer=person.customer):
            task.title = scrub(task.title, person)
            if task.status == TaskStatus.OPEN:
                task.status, task.done_at = TaskStatus.DONE, now
            task.save(update_fields=["title", "status", "done_at"])
            tasks += 1
    return {"journeys.journeyrun": run_count, "journeys.steprun": steps, "journeys.caretask": tasks}


register(
    PersonalDataSource(
        app="journeys",
        models=(
            PersonalModel(
                "journeys.JourneyRun",
                ("context",),
                legal_hold="kept as a count of journeys run (frequency caps, reports) with the context cleared",
                handling="exported; stopped, context cleared",
            ),
            PersonalModel("journeys.StepRun", ("message",), handling="exported; messages scrubbed"),
            PersonalModel("journeys.CareTask", ("title",), handling="exported; closed, title scrubbed"),
        ),
        not_personal={
            "journeys.Journey": ("name", "description", "channel_order"),
            # A step's task title is the journey's wording ("Gọi hỏi thăm sau 7 ngày"), not a person's.
            "journeys.JourneyStep": ("task_title",),
        },
        export=export,
        anonymize=anonymize,
    )
)
