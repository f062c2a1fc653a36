"""Shared pieces of the warranty services: errors, codes, dates, photo checks, event payloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.warranty.models import Warranty

WARRANTY_PREFIX = "WR"
CLAIM_PREFIX = "WC"
PLAN_PREFIX = "EP"
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"RIFF": "image/webp"}
MAX_PROOF_BYTES = 5 * 1024 * 1024


class UploadedPhoto(Protocol):
    name: str
    size: int | None

    def read(self, size: int = ...) -> bytes: ...


def refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """One field error as an exception."""
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def raise_if(errors: Sequence[FieldError]) -> None:
    """Raise ValidationFailed when there are errors."""
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), list(errors))


def local_date(moment: dt.datetime | None) -> dt.date | None:
    """The Vietnam calendar day of a moment."""
    return moment.astimezone(clock.LOCAL_TZ).date() if moment is not None else None


def check_photo(photo: UploadedPhoto, field: str = "proof") -> tuple[bytes, str]:
    """Read and validate one upload (JPEG/PNG/WebP by content, at most 5 MB); return (bytes, type)."""
    data = photo.read(MAX_PROOF_BYTES + 1)
    if len(data) > MAX_PROOF_BYTES:
        raise refuse(field, _("%(name)s is larger than 5 MB") % {"name": photo.name}, "too_large")
    kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), None)
    if kind == "image/webp" and data[8:12] != b"WEBP":
        kind = None
    if kind is None or len(data) < 16:
        raise refuse(field, _("%(name)s is not a JPEG, PNG or WebP picture") % {"name": photo.name}, "invalid_type")
    return data, kind


def payload_for(warranty: Warranty, **extra: Any) -> dict[str, Any]:
    """The payload every warranty.* event carries."""
    return {
        "code": warranty.code,
        "serial": warranty.unit.serial,
        "status": warranty.status,
        "starts_on": warranty.starts_on.isoformat() if warranty.starts_on else None,
        "ends_on": warranty.ends_on.isoformat() if warranty.ends_on else None,
        **extra,
    }
