"""Support settings (environment variables or Django settings of the same name)."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, str(default))
    return int(str(value))


def reopen_days() -> int:
    """A customer reply within this many days of 'solved' reopens the ticket; later it opens a new one."""
    return _int("HAUMAI_SUPPORT_REOPEN_DAYS", 7)


def max_attachment_bytes() -> int:
    """Attachments above this size are not stored (the message keeps their name and size)."""
    return _int("HAUMAI_SUPPORT_MAX_ATTACHMENT_MB", 10) * 1024 * 1024


def max_attachments_bytes_per_message() -> int:
    """All the kept attachments of one message together."""
    return _int("HAUMAI_SUPPORT_MAX_MESSAGE_MB", 25) * 1024 * 1024


def inbound_email_secret() -> str:
    """Shared secret of the inbound-parse webhook (HMAC-SHA256 of the body); empty = endpoint refuses all."""
    return str(
        getattr(settings, "HAUMAI_SUPPORT_INBOUND_SECRET", None) or os.environ.get("HAUMAI_SUPPORT_INBOUND_SECRET", "")
    )


def support_email_address() -> str:
    """The mailbox customers write to; replies come from it."""
    return str(
        getattr(settings, "HAUMAI_SUPPORT_EMAIL", None)
        or os.environ.get("HAUMAI_SUPPORT_EMAIL", "")
        or settings.DEFAULT_FROM_EMAIL
    )


def presence_seconds() -> int:
    """How long a ticket page counts as 'open' after its last poll (the collision notice)."""
    return _int("HAUMAI_SUPPORT_PRESENCE_SECONDS", 45)


def imap_settings() -> dict[str, str]:
    """HAUMAI_SUPPORT_IMAP_HOST / _PORT / _USER / _PASSWORD / _FOLDER / _SSL (empty host: no polling)."""
    names = ("HOST", "PORT", "USER", "PASSWORD", "FOLDER", "SSL")
    return {
        name.lower(): str(
            getattr(settings, f"HAUMAI_SUPPORT_IMAP_{name}", None) or os.environ.get(f"HAUMAI_SUPPORT_IMAP_{name}", "")
        )
        for name in names
    }


def imap_every_seconds() -> int:
    """How often the worker polls the support mailbox (HAUMAI_SUPPORT_IMAP_EVERY_SECONDS, at least 10)."""
    return max(10, _int("HAUMAI_SUPPORT_IMAP_EVERY_SECONDS", 60))
