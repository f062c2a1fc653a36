"""REST API v1: journeys and their runs (read-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from haumai.core.permissions import require
from haumai.journeys import selectors
from haumai.journeys.models import RunStatus

router = Router(tags=["journeys"])
MAX_PAGE = 100


class StepOut(Schema):
    position: int
    kind: str
    wait_hours: int
    template_key: str
    task_title: str
    branch_condition: str
    branch_value: str
    branch_target: int | None


class JourneyOut(Schema):
    key: str
    name: str
    is_active: bool
    trigger_kind: str
    trigger_event: str
    trigger_days: int
    trigger_category: str
    purpose: str
    channel_order: list[str]
    allow_quiet_hours: bool
    allow_reentry: bool
    exit_event: str
    steps: list[StepOut]


class StepRunOut(Schema):
    position: int
    kind: str
    outcome: str
    reason: str
    message: str
    channel: str
    template_key: str
    delivery_id: int | None
    created_at: dt.datetime


class RunOut(Schema):
    id: int
    customer_code: str
    subject_type: str
    subject_id: str
    subject_label: str
    status: str
    position: int
    due_at: dt.datetime | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    step_runs: list[StepRunOut]


class RunPage(Schema):
    items: list[RunOut]
    limit: int
    offset: int
    next_offset: int | None


class RunFilters(Schema):
    status: RunStatus | None = Field(None, description="active, completed, exited, not_entered")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("", response=list[JourneyOut], summary="List journeys with their steps")
def list_journeys(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, "journeys.view_journey")
    journeys = selectors.journey_list().prefetch_related("steps")
    return [
        {
            **{name: getattr(journey, name) for name in JourneyOut.model_fields if name != "steps"},
            "steps": [{name: getattr(step, name) for name in StepOut.model_fields} for step in journey.steps.all()],
        }
        for journey in journeys
    ]


@router.get("/{key}/runs", response=RunPage, summary="A journey's runs, newest first, with step runs")
def list_runs(request: HttpRequest, key: str, filters: Query[RunFilters]) -> dict[str, Any]:
    require(request, "journeys.view_journeyrun")
    journey = selectors.journey_by_key(key)
    runs = list(
        selectors.runs_for_journey(journey, status=filters.status.value if filters.status else "")[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    page = selectors.with_step_runs(runs[: filters.limit])
    return {
        "items": [
            {
                **{
                    name: getattr(run, name)
                    for name in RunOut.model_fields
                    if name not in ("customer_code", "step_runs")
                },
                "customer_code": run.customer.code,
                "step_runs": [
                    {name: getattr(s, name) for name in StepRunOut.model_fields} for s in run.step_runs.all()
                ],
            }
            for run in page
        ],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(runs) > filters.limit else None,
    }
