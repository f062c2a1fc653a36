"""The month's token budget and the call log: reserve before a call, settle and log after it.

A call first reserves its worst case (the prompt's estimate + `max_tokens`) with one conditional UPDATE
(`tokens + reserve <= budget`), which PostgreSQL re-checks on the locked row and SQLite runs alone, so
parallel calls can never together pass the budget; the row lock lasts only that statement (callers run
outside any long transaction, before the ticket or turn is locked). After the call the reservation is
replaced by the provider's count. A call the provider may have billed (a timeout, an unreadable answer)
keeps its prompt estimate; a call it refused costs nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F

from haumai.assist import conf
from haumai.assist.models import AICall, MonthlyUsage, Outcome
from haumai.core import clock

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
BILLED_ON_FAILURE = (Outcome.TIMEOUT, Outcome.BAD_RESPONSE)


def month_key(moment: dt.datetime | None = None) -> str:
    """The budget month of a moment (Vietnamese calendar month)."""
    return (moment or clock.now()).astimezone(LOCAL).strftime("%Y-%m")


def reserve(tokens: int) -> bool:
    """Count `tokens` against this month's budget if they fit; False (nothing counted) when they do not."""
    month = month_key()
    budget = conf.monthly_token_budget()
    if tokens > budget:
        return False
    MonthlyUsage.objects.get_or_create(month=month)
    updated = MonthlyUsage.objects.filter(month=month, tokens__lte=budget - tokens).update(
        tokens=F("tokens") + tokens, calls=F("calls") + 1
    )
    return updated == 1


def settle(*, reserved: int, used: int) -> None:
    """Replace a reservation by what the call really used."""
    if used != reserved:
        MonthlyUsage.objects.filter(month=month_key()).update(tokens=F("tokens") + (used - reserved))


def log_call(
    *,
    purpose: str,
    model: str,
    outcome: str,
    actor: Any = None,
    actor_label: str = "",
    subject: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    latency_ms: int = 0,
    masked: bool = True,
    detail: str = "",
) -> AICall:
    """One row of the call log (no content, only what it cost and how it ended)."""
    return AICall.objects.create(
        purpose=purpose, model=model[:100], outcome=outcome, actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label[:40], subject=subject[:40], prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens, latency_ms=latency_ms, masked=masked, detail=detail[:200],
        created_at=clock.now(),
    )  # fmt: skip


def finish(*, reserved: int, used: int, **log: Any) -> AICall:
    """Settle the budget and log the call together."""
    with transaction.atomic():
        settle(reserved=reserved, used=used)
        return log_call(**log)


def used_this_month() -> int:
    """Tokens counted this month so far."""
    row = MonthlyUsage.objects.filter(month=month_key()).first()
    return int(row.tokens) if row is not None else 0


def month_start(moment: dt.datetime | None = None) -> dt.datetime:
    """The first instant of the budget month (local midnight on the 1st)."""
    local = (moment or clock.now()).astimezone(LOCAL)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
