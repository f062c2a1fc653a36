"""The monthly budget under parallel calls on PostgreSQL: together they never pass it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from haumai.assist import services
from haumai.assist.masking import Masker
from haumai.assist.models import AICall, MonthlyUsage
from haumai.assist.provider import estimate_tokens
from haumai.testing.ai_provider import LocalAIProvider

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_never_pass_the_monthly_budget(ai: LocalAIProvider, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers are PostgreSQL's")
    blocks = ['<data kind="customer_message">\nxin chào shop\n</data>']
    sent = services.prompts.messages("translation", "vi", blocks)
    reserve = sum(estimate_tokens(m["content"]) for m in sent) + services.MAX_TOKENS["translation"]
    settings.HAUMAI_AI_MONTHLY_TOKEN_BUDGET = str(reserve * 3 + reserve // 2)  # room for three calls at once
    ai.delay_seconds = 0.3  # every call is in flight while the others try to reserve
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    outcomes: list[str] = []

    def call() -> None:
        try:
            barrier.wait()
            services._call(
                purpose="translation",
                language="vi",
                blocks=["xin chào shop"],
                masker=Masker(enabled=True),
                actor_label="test",
            )
            outcomes.append("ok")
        except services.AssistUnavailable as exc:
            outcomes.append(exc.outcome)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    budget = int(settings.HAUMAI_AI_MONTHLY_TOKEN_BUDGET)
    assert ai.max_in_flight <= 3  # never more calls at once than the budget's worst case allows
    assert outcomes.count("budget_exhausted") >= THREADS - 3 * 2
    assert len(ai.requests) == outcomes.count("ok") == AICall.objects.filter(outcome="ok").count()
    usage = MonthlyUsage.objects.get()
    spent = sum(c.prompt_tokens + c.completion_tokens for c in AICall.objects.all())
    assert usage.tokens == spent <= budget
