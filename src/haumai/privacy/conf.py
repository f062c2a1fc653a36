"""Privacy settings, read at call time from Django settings or the environment (defaults: see README.md).

Deadlines follow Decree 356/2025/ND-CP as far as it could be confirmed (README.md says which figures
are confirmed and which are not); every one is a setting so a lawyer's reading can replace ours.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def int_setting(name: str, default: int) -> int:
    """An integer setting from Django settings, else the environment, else the default."""
    value: object = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, str(default))
    try:
        return int(str(value))
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from exc


# Working days to acknowledge a request and tell the person the procedure (Decree 356: 2 working days).
def acknowledge_working_days() -> int:
    """Working days (Mon-Fri) to acknowledge a request."""
    return int_setting("HAUMAI_PRIVACY_ACKNOWLEDGE_WORKING_DAYS", 2)


# Calendar days to complete each kind of request (defaults in README.md, with their sources).
DEADLINE_DEFAULTS = {
    "export": ("HAUMAI_PRIVACY_EXPORT_DAYS", 10),
    "correction": ("HAUMAI_PRIVACY_CORRECTION_DAYS", 10),
    "withdraw_consent": ("HAUMAI_PRIVACY_WITHDRAW_CONSENT_DAYS", 15),
    "restriction": ("HAUMAI_PRIVACY_RESTRICTION_DAYS", 15),
    "objection": ("HAUMAI_PRIVACY_OBJECTION_DAYS", 15),
    "deletion": ("HAUMAI_PRIVACY_DELETION_DAYS", 20),
}


def completion_days(kind: str) -> int:
    """Calendar days to complete a request of this kind."""
    name, default = DEADLINE_DEFAULTS[kind]
    return int_setting(name, default)


def extension_days() -> int:
    """How many days one (and only one) extension may add."""
    return int_setting("HAUMAI_PRIVACY_EXTENSION_DAYS", 15)


def export_link_hours() -> int:
    """How long a download link for an export stays valid."""
    return int_setting("HAUMAI_PRIVACY_EXPORT_LINK_HOURS", 72)


def export_keep_days() -> int:
    """How long the export file stays on disk after it was built."""
    return int_setting("HAUMAI_PRIVACY_EXPORT_KEEP_DAYS", 7)


def breach_notice_hours() -> int:
    """Hours from discovering a breach to notifying the authority (Law 91/2025: 72 hours)."""
    return int_setting("HAUMAI_PRIVACY_BREACH_NOTICE_HOURS", 72)


def export_dir() -> str:
    """Folder for export ZIPs, outside the database and outside MEDIA_ROOT (never served directly)."""
    value = getattr(settings, "HAUMAI_PRIVACY_EXPORT_DIR", None) or os.environ.get("HAUMAI_PRIVACY_EXPORT_DIR")
    if value:
        return str(value)
    return str(settings.DATA_DIR / "privacy_exports")
