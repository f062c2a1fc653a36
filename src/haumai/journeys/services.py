"""Writes of journeys: saving a journey with its steps (validated), care tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Category
from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from haumai.events.services import record_event
from haumai.journeys import rewarding, sending, surveying
from haumai.journeys.enrollment import forget_journeys, next_enrollment
from haumai.journeys.models import (
    BranchCondition,
    CareTask,
    Journey,
    JourneyStep,
    Purpose,
    StepKind,
    TaskStatus,
    TriggerKind,
)
from haumai.journeys.rules import KNOWN_CHANNELS

EVENT_PATTERN = re.compile(r"^[a-z0-9_*?\[\].-]{1,80}$")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_STEPS = 30
MAX_WAIT_HOURS = 24 * 366


@dataclass
class StepInput:
    kind: str
    wait_hours: int = 0
    template_key: str = ""
    survey_key: str = ""
    voucher_campaign: str = ""
    task_title: str = ""
    branch_condition: str = ""
    branch_value: str = ""
    branch_target: int | None = None


@dataclass
class JourneyInput:
    key: str
    name: str
    description: str = ""
    is_active: bool = True
    trigger_kind: str = TriggerKind.EVENT
    trigger_event: str = ""
    trigger_days: int = 0
    trigger_category: str = ""
    condition_min_order_total: int | None = None
    condition_category: str = ""
    condition_sales_channel: str = ""
    condition_language: str = ""
    condition_reachable_channel: str = ""
    purpose: str = Purpose.SERVICE
    channel_order: list[str] = field(default_factory=list)
    allow_quiet_hours: bool = False
    allow_reentry: bool = False
    exit_event: str = ""
    steps: list[StepInput] = field(default_factory=list)


def _journey_errors(data: JourneyInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if not KEY_PATTERN.match(data.key or ""):
        errors.append(FieldError("key", _("Key: lowercase letters, digits, - and _ (at most 60)")))
    if not data.name.strip():
        errors.append(FieldError("name", _("Give the journey a name")))
    if data.trigger_kind not in TriggerKind.values:
        errors.append(FieldError("trigger_kind", _("Unknown trigger")))
    if data.trigger_kind == TriggerKind.EVENT and not EVENT_PATTERN.match(data.trigger_event or ""):
        errors.append(FieldError("trigger_event", _("Name the trigger event, e.g. order.delivered")))
    if data.exit_event and not EVENT_PATTERN.match(data.exit_event):
        errors.append(FieldError("exit_event", _("Exit event: an event name such as return.cancelled")))
    if data.trigger_kind in (TriggerKind.WARRANTY_EXPIRY, TriggerKind.MAINTENANCE_DUE) and not (
        1 <= data.trigger_days <= 3650
    ):
        errors.append(FieldError("trigger_days", _("Number of days: between 1 and 3650")))
    if data.trigger_kind == TriggerKind.MAINTENANCE_DUE and not data.trigger_category:
        errors.append(FieldError("trigger_category", _("Maintenance reminders need a product category")))
    for name in ("trigger_category", "condition_category"):
        code = getattr(data, name)
        if code and not Category.objects.filter(code=code).exists():
            errors.append(FieldError(name, _("Unknown category code '%(code)s'") % {"code": code}))
    if data.trigger_kind == TriggerKind.BIRTHDAY and (
        data.condition_min_order_total is not None or data.condition_category or data.condition_sales_channel
    ):
        errors.append(FieldError("trigger_kind", _("A birthday journey has no order: remove the order conditions")))
    if data.condition_min_order_total is not None and data.condition_min_order_total < 0:
        errors.append(FieldError("condition_min_order_total", _("Order value cannot be negative")))
    if data.purpose not in Purpose.values:
        errors.append(FieldError("purpose", _("Purpose is service or marketing")))
    for channel in [*data.channel_order, data.condition_reachable_channel]:
        if channel and channel not in KNOWN_CHANNELS:
            errors.append(
                FieldError(
                    "channel_order",
                    _("Unknown channel '%(channel)s' (one of: %(allowed)s)")
                    % {"channel": channel, "allowed": ", ".join(KNOWN_CHANNELS)},
                )
            )
    if data.allow_quiet_hours and data.purpose == Purpose.MARKETING:
        errors.append(FieldError("allow_quiet_hours", _("Marketing messages never go out in quiet hours")))
    return errors + _step_errors(data.steps)


def _step_errors(steps: list[StepInput]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not steps:
        return [FieldError("steps", _("A journey needs at least one step"))]
    if len(steps) > MAX_STEPS:
        return [FieldError("steps", _("At most %(count)s steps") % {"count": MAX_STEPS})]
    if all(step.kind == StepKind.WAIT for step in steps):
        errors.append(FieldError("steps", _("A journey of waits does nothing: add a send, task or exit step")))
    templates = set(sending.known_template_keys())
    for position, step in enumerate(steps, start=1):
        where = f"steps[{position}]"
        if step.kind not in StepKind.values:
            errors.append(FieldError(f"{where}.kind", _("Step %(n)s: unknown kind") % {"n": position}))
        elif step.kind == StepKind.WAIT and not (0 < step.wait_hours <= MAX_WAIT_HOURS):
            errors.append(
                FieldError(
                    f"{where}.wait_hours", _("Step %(n)s: wait more than 0 hours (at most a year)") % {"n": position}
                )
            )
        elif step.kind in (StepKind.SEND, StepKind.SURVEY) and step.template_key not in templates:
            errors.append(
                FieldError(
                    f"{where}.template_key",
                    _("Step %(n)s: unknown template key '%(key)s'") % {"n": position, "key": step.template_key},
                )
            )
        elif step.kind == StepKind.SURVEY and step.survey_key not in surveying.known_survey_keys():
            errors.append(
                FieldError(
                    f"{where}.survey_key",
                    _("Step %(n)s: unknown or inactive survey '%(key)s'") % {"n": position, "key": step.survey_key},
                )
            )
        elif step.kind == StepKind.VOUCHER and not rewarding.campaign_exists(step.voucher_campaign):
            errors.append(
                FieldError(
                    f"{where}.voucher_campaign",
                    _("Step %(n)s: unknown voucher campaign '%(code)s'")
                    % {"n": position, "code": step.voucher_campaign},
                )
            )
        elif step.kind == StepKind.TASK and not step.task_title.strip():
            errors.append(FieldError(f"{where}.task_title", _("Step %(n)s: give the task a title") % {"n": position}))
        elif step.kind == StepKind.BRANCH:
            errors += _branch_errors(step, position, len(steps))
    return errors


def _segment_exists(key: str) -> bool:
    from haumai.segments.selectors import segments_by_key

    return key in segments_by_key({key})


def _branch_errors(step: StepInput, position: int, count: int) -> list[FieldError]:
    where = f"steps[{position}]"
    errors: list[FieldError] = []
    if step.branch_condition not in BranchCondition.values:
        errors.append(FieldError(f"{where}.branch_condition", _("Step %(n)s: choose a condition") % {"n": position}))
    elif step.branch_condition != BranchCondition.PREVIOUS_SEND_SKIPPED and not step.branch_value.strip():
        errors.append(
            FieldError(f"{where}.branch_value", _("Step %(n)s: the condition needs a value") % {"n": position})
        )
    elif step.branch_condition == BranchCondition.ORDER_TOTAL_AT_LEAST and not step.branch_value.isdigit():
        errors.append(
            FieldError(f"{where}.branch_value", _("Step %(n)s: amount in VND, digits only") % {"n": position})
        )
    elif step.branch_condition == BranchCondition.IN_SEGMENT and not _segment_exists(step.branch_value.strip()):
        errors.append(
            FieldError(f"{where}.branch_value", _("Step %(n)s: unknown segment '%(key)s'") % {
                "n": position, "key": step.branch_value.strip()})
        )
    if step.branch_target is None or step.branch_target <= position:
        errors.append(
            FieldError(
                f"{where}.branch_target",
                _("Step %(n)s: a branch must jump forward (a later step); loops are not allowed") % {"n": position},
            )
        )
    elif step.branch_target > count + 1:
        errors.append(
            FieldError(
                f"{where}.branch_target",
                _("Step %(n)s: there is no step %(target)s") % {"n": position, "target": step.branch_target},
            )
        )
    return errors


JOURNEY_FIELDS = [
    "name", "description", "is_active", "trigger_kind", "trigger_event", "trigger_days", "trigger_category",
    "condition_min_order_total", "condition_category", "condition_sales_channel", "condition_language",
    "condition_reachable_channel", "purpose", "channel_order", "allow_quiet_hours", "allow_reentry", "exit_event",
]  # fmt: skip
STEP_FIELDS = [
    "kind", "wait_hours", "template_key", "survey_key", "voucher_campaign", "task_title",
    "branch_condition", "branch_value", "branch_target",
]  # fmt: skip


def save_journey(*, actor: Any, data: JourneyInput, journey: Journey | None = None) -> Journey:
    """Create or update a journey and its ordered steps; refuse invalid ones with field-level messages."""
    errors = _journey_errors(data)
    if journey is None and Journey.objects.filter(key=data.key).exists():
        errors.append(FieldError("key", _("A journey with key '%(key)s' exists") % {"key": data.key}))
    if errors:
        raise ValidationFailed(_("The journey was not saved: fix the marked fields"), errors)
    with transaction.atomic():
        journey = Journey(key=data.key) if journey is None else Journey.objects.select_for_update().get(pk=journey.pk)
        was_date_rule = journey.pk is not None and journey.trigger_kind != TriggerKind.EVENT
        for name in JOURNEY_FIELDS:
            setattr(journey, name, getattr(data, name))
        if journey.trigger_kind == TriggerKind.EVENT or not journey.is_active:
            journey.next_enrollment_at = None
        elif not was_date_rule or journey.next_enrollment_at is None:
            journey.next_enrollment_at = clock.now()
        journey.save()
        _replace_steps(journey, data.steps)
        transaction.on_commit(forget_journeys)
        record_event(
            name="journey.saved",
            subject=journey,
            actor=actor,
            payload={"key": journey.key, "steps": len(data.steps), "active": journey.is_active},
        )
    return journey


def _replace_steps(journey: Journey, steps: list[StepInput]) -> None:
    """Update steps in place by position (step ids, and so send idempotency keys, stay stable)."""
    existing = {step.position: step for step in JourneyStep.objects.filter(journey=journey)}
    for position, data in enumerate(steps, start=1):
        step = existing.pop(position, None) or JourneyStep(journey=journey, position=position)
        for name in STEP_FIELDS:
            setattr(step, name, getattr(data, name))
        if step.branch_target is None and data.kind != StepKind.BRANCH:
            step.branch_target = None
        step.save()
    JourneyStep.objects.filter(pk__in=[step.pk for step in existing.values()]).delete()


def journey_input(journey: Journey) -> JourneyInput:
    """The editable form of a stored journey."""
    data = JourneyInput(key=journey.key, name=journey.name)
    for name in JOURNEY_FIELDS:
        setattr(data, name, getattr(journey, name))
    data.steps = [StepInput(**{name: getattr(step, name) for name in STEP_FIELDS}) for step in journey.steps.all()]
    return data


def complete_task(*, actor: Any, task_id: int) -> CareTask:
    """Mark a care task done (once)."""
    with transaction.atomic():
        task = CareTask.objects.select_for_update().filter(pk=task_id).first()
        if task is None:
            raise NotFound(_("No such care task"))
        if task.status == TaskStatus.DONE:
            raise Conflict(_("This task is already done"), code="already_done")
        task.status = TaskStatus.DONE
        task.done_at = clock.now()
        task.done_by = actor
        task.save(update_fields=["status", "done_at", "done_by"])
        record_event(
            name="care_task.completed", customer=task.customer, subject=task, actor=actor, payload={"title": task.title}
        )
    return task


__all__ = ["JourneyInput", "StepInput", "complete_task", "journey_input", "next_enrollment", "save_journey"]
