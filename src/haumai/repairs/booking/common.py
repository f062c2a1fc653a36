"""Shared pieces of the booking services: errors and codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed

APPOINTMENT_PREFIX = "AP"
VISIT_PREFIX = "VS"


class SlotTaken(Conflict):
    """The slot filled up between showing it and booking it."""

    def __init__(self) -> None:
        super().__init__(_("This time slot was just taken; choose another one"), code="slot_taken")


class TechnicianBusy(Conflict):
    """The technician already has a visit in an overlapping window."""

    def __init__(self) -> None:
        super().__init__(_("The technician already has a visit in this time window"), code="technician_busy")


def refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """One field error as an exception."""
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def raise_if(errors: Sequence[FieldError]) -> None:
    """Raise ValidationFailed when there are errors."""
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), list(errors))


def require_perm(actor: Any, permission: str) -> None:
    """Refuse a staff actor without the permission (None = the customer themself or the system)."""
    if actor is not None and getattr(actor, "is_authenticated", False) and not actor.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": permission})
