"""Reading the journey builder form (journey fields + numbered step rows) into a JourneyInput."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from haumai.core.errors import FieldError
from haumai.journeys.services import JourneyInput, StepInput

MAX_ROWS = 40


def _int(value: str, field: str, errors: list[FieldError], *, blank: int | None = 0) -> int | None:
    text = (value or "").strip()
    if not text:
        return blank
    if not text.isdigit() or len(text) > 12:
        errors.append(FieldError(field, _("Enter a whole number")))
        return blank
    return int(text)


def parse_journey(post: QueryDict, *, key: str | None = None) -> tuple[JourneyInput, list[FieldError]]:
    """The journey as posted, plus parse errors (numbers that are not numbers)."""
    errors: list[FieldError] = []
    text = {name: (post.get(name) or "").strip() for name in post}
    data = JourneyInput(
        key=key if key is not None else text.get("key", "")[:60],
        name=text.get("name", "")[:120],
        description=text.get("description", "")[:2000],
        is_active=post.get("is_active") == "on",
        trigger_kind=text.get("trigger_kind", ""),
        trigger_event=text.get("trigger_event", "")[:80],
        trigger_days=_int(text.get("trigger_days", ""), "trigger_days", errors) or 0,
        trigger_category=text.get("trigger_category", "")[:60],
        condition_min_order_total=_int(
            text.get("condition_min_order_total", ""), "condition_min_order_total", errors, blank=None
        ),
        condition_category=text.get("condition_category", "")[:60],
        condition_sales_channel=text.get("condition_sales_channel", "")[:40],
        condition_language=text.get("condition_language", "")[:5],
        condition_reachable_channel=text.get("condition_reachable_channel", "")[:20],
        purpose=text.get("purpose", ""),
        channel_order=[c.strip() for c in text.get("channel_order", "").replace(">", ",").split(",") if c.strip()],
        allow_quiet_hours=post.get("allow_quiet_hours") == "on",
        allow_reentry=post.get("allow_reentry") == "on",
        exit_event=text.get("exit_event", "")[:80],
    )
    count = min(_int(text.get("step_count", "0"), "steps", errors) or 0, MAX_ROWS)
    for index in range(count):
        prefix = f"step-{index}-"
        field = f"steps[{index + 1}]"
        data.steps.append(
            StepInput(
                kind=text.get(prefix + "kind", ""),
                wait_hours=_int(text.get(prefix + "wait_hours", ""), f"{field}.wait_hours", errors) or 0,
                template_key=text.get(prefix + "template_key", "")[:80],
                survey_key=text.get(prefix + "survey_key", "")[:60],
                voucher_campaign=text.get(prefix + "voucher_campaign", "").strip()[:40],
                task_title=text.get(prefix + "task_title", "")[:200],
                branch_condition=text.get(prefix + "branch_condition", ""),
                branch_value=text.get(prefix + "branch_value", "")[:80],
                branch_target=_int(
                    text.get(prefix + "branch_target", ""), f"{field}.branch_target", errors, blank=None
                ),
            )
        )
    return data, errors


def apply_row_action(data: JourneyInput, action: str) -> bool:
    """Add / remove / move step rows ("add", "remove-3", "up-2", "down-1"); True when the form changed."""
    steps = data.steps
    if action == "add":
        steps.append(StepInput(kind="send"))
        return True
    verb, _sep, number = action.partition("-")
    if not number.isdigit():
        return False
    index = int(number) - 1
    if not 0 <= index < len(steps):
        return False
    if verb == "remove":
        steps.pop(index)
    elif verb == "up" and index > 0:
        steps[index - 1], steps[index] = steps[index], steps[index - 1]
    elif verb == "down" and index < len(steps) - 1:
        steps[index + 1], steps[index] = steps[index], steps[index + 1]
    else:
        return False
    return True


def errors_by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """Field name -> messages, for the template."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        grouped.setdefault(error.field, []).append(error.message)
    return grouped


def step_rows(data: JourneyInput, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Rows of the builder table with their errors."""
    return [
        {
            "number": number,
            "index": number - 1,
            "step": step,
            "errors": [m for name, messages in errors.items() if name.startswith(f"steps[{number}]") for m in messages],
        }
        for number, step in enumerate(data.steps, start=1)
    ]
