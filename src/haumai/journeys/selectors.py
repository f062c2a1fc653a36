"""Reads of journeys."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from haumai.core.errors import NotFound
from haumai.journeys.models import CareTask, Journey, JourneyRun, RunStatus, StepRun, TaskStatus, TriggerKind


def pending_runs() -> QuerySet[JourneyRun]:
    """Runs with a due step (scheduler source)."""
    return JourneyRun.objects.filter(due_at__isnull=False)


def pending_enrollments() -> QuerySet[Journey]:
    """Date-rule journeys whose daily enrollment is due (scheduler source)."""
    return Journey.objects.filter(next_enrollment_at__isnull=False, is_active=True).exclude(
        trigger_kind=TriggerKind.EVENT
    )


def journey_list() -> QuerySet[Journey]:
    """Journeys with step and active-run counts."""
    return Journey.objects.annotate(
        step_count=Count("steps", distinct=True),
    ).order_by("name")


def journey_by_key(key: str) -> Journey:
    """One journey with its steps, or NotFound."""
    journey = Journey.objects.prefetch_related("steps").filter(key=key).first()
    if journey is None:
        raise NotFound(f"No journey with key '{key}'")
    return journey


def active_run_count(journey: Journey) -> int:
    """How many runs of a journey are still active."""
    return JourneyRun.objects.filter(journey=journey, status=RunStatus.ACTIVE).count()


def runs_for_journey(journey: Journey, *, status: str = "") -> QuerySet[JourneyRun]:
    """A journey's runs, newest first, with the customer."""
    runs = JourneyRun.objects.filter(journey=journey).select_related("customer", "journey")
    if status:
        runs = runs.filter(status=status)
    return runs.order_by("-started_at", "-id")


def runs_for_customer(customer_id: int) -> QuerySet[JourneyRun]:
    """A customer's runs in every journey, newest first."""
    return (
        JourneyRun.objects.filter(customer_id=customer_id)
        .select_related("journey", "customer")
        .order_by("-started_at", "-id")
    )


def with_step_runs(runs: list[JourneyRun]) -> list[JourneyRun]:
    """Attach step runs (oldest first) to a page of runs in one query."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(runs, Prefetch("step_runs", queryset=StepRun.objects.order_by("id")))
    _attach_delivery_states(runs)
    return runs


DELIVERY_SHOWN = {
    # Delivery status -> (what the step run says, badge tone). A "sent" step is only as good as its message.
    "queued": (_("Queued"), "info"),
    "sending": (_("Sending"), "info"),
    "sent": (_("Delivered to the provider"), "success"),
    "failed": (_("Failed, will retry"), "warning"),
    "given_up": (_("Not delivered"), "danger"),
    "unknown": (_("Unknown — check provider"), "warning"),
}


def _attach_delivery_states(runs: list[JourneyRun]) -> None:
    """Give every step run with a message `delivery_label`, `delivery_tone`, `delivery_error` (one query)."""
    from haumai.journeys import sending

    step_runs = [sr for run in runs for sr in run.step_runs.all()]
    states = sending.delivery_states([sr.delivery_id for sr in step_runs if sr.delivery_id])
    for step_run in step_runs:
        status, code, message = states.get(step_run.delivery_id or 0, ("", "", ""))
        label, tone = DELIVERY_SHOWN.get(status, ("", ""))
        step_run.delivery_status = status  # type: ignore[attr-defined]
        step_run.delivery_label = label  # type: ignore[attr-defined]
        step_run.delivery_tone = tone  # type: ignore[attr-defined]
        step_run.delivery_error = (message or code) if status in ("failed", "given_up", "unknown") else ""  # type: ignore[attr-defined]


def open_tasks(*, status: str = TaskStatus.OPEN) -> QuerySet[CareTask]:
    """The care task queue, oldest first."""
    return (
        CareTask.objects.filter(status=status)
        .select_related("customer", "run__journey", "done_by")
        .order_by("created_at", "id")
    )


def run_status_counts(journey: Journey) -> dict[str, int]:
    """Runs per status for one journey."""
    rows = JourneyRun.objects.filter(journey=journey).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
