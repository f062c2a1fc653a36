"""Reads of the AI call log and the month's usage (the administrators' page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from haumai.assist import conf, usage
from haumai.assist.models import AICall


@dataclass(frozen=True)
class MonthSummary:
    month: str
    used: int
    budget: int
    calls: int
    failed: int

    @property
    def share(self) -> int:
        return min(100, round(100 * self.used / self.budget)) if self.budget else 100


def calls(*, purpose: str = "", outcome: str = "") -> QuerySet[AICall]:
    """The call log, newest first, optionally of one purpose or outcome."""
    rows = AICall.objects.select_related("actor").order_by("-created_at", "-id")
    if purpose:
        rows = rows.filter(purpose=purpose)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows


def month_summary() -> MonthSummary:
    """This month's tokens against the budget, and how many calls failed."""
    month = usage.month_key()
    start = usage.month_start()
    counts = AICall.objects.filter(created_at__gte=start).aggregate(calls=Count("id"))
    failed = AICall.objects.filter(created_at__gte=start).exclude(outcome="ok").count()
    return MonthSummary(
        month=month,
        used=usage.used_this_month(),
        budget=conf.monthly_token_budget(),
        calls=int(counts["calls"] or 0),
        failed=failed,
    )


def tokens_by_purpose() -> list[dict[str, object]]:
    """This month's calls and tokens per purpose."""
    return list(
        AICall.objects.filter(created_at__gte=usage.month_start())
        .values("purpose")
        .annotate(calls=Count("id"), prompt=Sum("prompt_tokens"), completion=Sum("completion_tokens"))
        .order_by("purpose")
    )
