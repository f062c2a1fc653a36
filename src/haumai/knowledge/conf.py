"""Settings of the knowledge base (environment-driven through haumai.settings, with defaults here)."""

from __future__ import annotations

from django.conf import settings


def feedback_per_hour() -> int:
    """How many feedback answers one network address may send per hour (HAUMAI_KNOWLEDGE_FEEDBACK_PER_HOUR)."""
    return int(getattr(settings, "HAUMAI_KNOWLEDGE_FEEDBACK_PER_HOUR", 20))
