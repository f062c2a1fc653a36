"""Personal data held by AI assistance (haumai.privacy): none. An `AICall` keeps no prompt, no answer and no
customer text, only the purpose, model, token counts, latency, outcome, the staff member who asked and a
ticket code; personal data is masked before it leaves Haumai unless HAUMAI_AI_SEND_PERSONAL_DATA=1."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="assist",
        models=(),
        not_personal={
            # Counts and codes only: what a call cost and how it ended, never what it carried.
            "assist.AICall": ("purpose", "model", "outcome", "actor_label", "subject", "detail", "masked"),
            "assist.MonthlyUsage": ("month", "tokens", "calls"),
        },
    )
)
