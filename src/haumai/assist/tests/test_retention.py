"""The AI call log is not kept for ever: the daily retention job deletes calls past
HAUMAI_RETENTION_AI_CALLS_DAYS (default 400) and keeps the monthly totals the budget reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.assist.models import AICall, MonthlyUsage, Outcome, Purpose
from haumai.core import clock
from haumai.privacy import retention

pytestmark = pytest.mark.django_db


def _call(at: dt.datetime, subject: str) -> AICall:
    return AICall.objects.create(
        purpose=Purpose.DRAFT_REPLY, model="m", prompt_tokens=10, completion_tokens=5, outcome=Outcome.OK,
        actor_label="agent", subject=subject, created_at=at,
    )  # fmt: skip


def test_calls_past_the_limit_go_and_the_monthly_totals_stay(settings: Any) -> None:
    now = clock.now()
    old = _call(now - dt.timedelta(days=401), "TK-OLD")
    recent = _call(now - dt.timedelta(days=399), "TK-NEW")
    MonthlyUsage.objects.create(month=(now - dt.timedelta(days=401)).strftime("%Y-%m"), tokens=15, calls=1)
    counts = retention.apply_retention()
    assert counts["assist.calls"] == 1
    assert list(AICall.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AICall.objects.filter(pk=old.pk).exists()
    assert MonthlyUsage.objects.count() == 1


def test_zero_days_switches_the_rule_off(settings: Any) -> None:
    settings.HAUMAI_RETENTION_AI_CALLS_DAYS = "0"
    _call(clock.now() - dt.timedelta(days=2000), "TK-KEEP")
    assert "assist.calls" not in retention.apply_retention()
    assert AICall.objects.count() == 1
