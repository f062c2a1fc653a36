"""Settings of the knowledge base (environment-driven through haumai.settings, with defaults here)."""

from __future__ import annotations

import os

from django.conf import settings


def feedback_per_hour() -> int:
    """How many feedback answers one network address may send per hour (HAUMAI_KNOWLEDGE_FEEDBACK_PER_HOUR)."""
    return int(getattr(settings, "HAUMAI_KNOWLEDGE_FEEDBACK_PER_HOUR", 20))


def contact() -> dict[str, str]:
    """How readers reach support from a troubleshooting end step: the support mailbox and a hotline if set."""
    email = (
        getattr(settings, "HAUMAI_SUPPORT_EMAIL", None)
        or os.environ.get("HAUMAI_SUPPORT_EMAIL", "")
        or settings.DEFAULT_FROM_EMAIL
    )
    phone = getattr(settings, "HAUMAI_HELP_CONTACT_PHONE", None) or os.environ.get("HAUMAI_HELP_CONTACT_PHONE", "")
    return {"email": str(email), "phone": str(phone)}
