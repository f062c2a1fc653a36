"""AI provider settings (environment variables or Django settings of the same name). Off without a base URL."""

from __future__ import annotations

import os

from django.conf import settings


def _get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def base_url() -> str:
    """The OpenAI-compatible API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1."""
    return _get("HAUMAI_AI_BASE_URL").rstrip("/")


def enabled() -> bool:
    """AI assistance is on only when a base URL is configured (HAUMAI_AI_BASE_URL)."""
    return bool(base_url())


def api_key() -> str:
    """The provider's key (HAUMAI_AI_API_KEY); a local server may need none."""
    return _get("HAUMAI_AI_API_KEY") or "not-needed"


def model() -> str:
    """The chat model (HAUMAI_AI_MODEL)."""
    return _get("HAUMAI_AI_MODEL", "gpt-4o-mini")[:100]


def embedding_model() -> str:
    """The embeddings model (HAUMAI_AI_EMBEDDING_MODEL)."""
    return _get("HAUMAI_AI_EMBEDDING_MODEL", "text-embedding-3-small")[:100]


def timeout_seconds() -> float:
    """How long one call may take before Haumai gives up (HAUMAI_AI_TIMEOUT_SECONDS, default 8)."""
    try:
        return min(120.0, max(0.2, float(_get("HAUMAI_AI_TIMEOUT_SECONDS", "8"))))
    except ValueError:
        return 8.0


def monthly_token_budget() -> int:
    """Tokens (prompt + completion) allowed per calendar month; 0 means no call at all (default 2,000,000)."""
    try:
        return max(0, int(_get("HAUMAI_AI_MONTHLY_TOKEN_BUDGET", "2000000")))
    except ValueError:
        return 0


def send_personal_data() -> bool:
    """Send names, phones, e-mails, addresses and serials unmasked (HAUMAI_AI_SEND_PERSONAL_DATA=1; default 0)."""
    return _get("HAUMAI_AI_SEND_PERSONAL_DATA", "0").lower() in ("1", "true", "yes", "on")
