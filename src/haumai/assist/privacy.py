"""Personal data held by AI assistance (haumai.privacy): none. An `AICall` keeps no prompt, no answer and no
customer text, only the purpose, model, token counts, latency, outcome, the staff member who asked and a
ticket code; personal data is masked before it leaves Haumai unless HAUMAI_AI_SEND_PERSONAL_DATA=1.

The call log still says which staff member asked what about which ticket, so it is not kept for ever: the
retention job deletes calls older than HAUMAI_RETENTION_AI_CALLS_DAYS (default 400: a year of cost reports and
the month before it). The monthly totals the budget reads (`MonthlyUsage`) are counters and stay."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from haumai.assist.models import AICall
from haumai.privacy.registry import PersonalDataSource, RetentionRule, register

BATCH = 5000


def purge_calls(cutoff: dt.datetime) -> int:
    """Delete logged AI calls made before the cutoff (a batch per run; the daily job comes back)."""
    ids = list(AICall.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[:BATCH])
    deleted, _by_model = AICall.objects.filter(pk__in=ids).delete()
    return deleted

register(
    PersonalDataSource(
        app="assist",
        models=(),
        not_personal={
            # Counts and codes only: what a call cost and how it ended, never what it carried.
            "assist.AICall": ("purpose", "model", "outcome", "actor_label", "subject", "detail", "masked"),
            "assist.MonthlyUsage": ("month", "tokens", "calls"),
        },
        retention=(
            RetentionRule(
                key="assist.calls",
                label=_("AI assistance call log"),
                setting="HAUMAI_RETENTION_AI_CALLS_DAYS",
                default_days=400,
                purge=purge_calls,
            ),
        ),
    )
)
