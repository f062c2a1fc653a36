"""Shared pieces of the loyalty services: errors, the customer lock, input checks."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from haumai.core.errors import Conflict, DomainError, FieldError, Forbidden, ValidationFailed
from haumai.customers.models import Customer

MAX_POINTS = 1_000_000_000
MAX_VND = 100_000_000_000


class NotEnoughPoints(DomainError):
    """The spend is more than the customer's unexpired points; nothing was changed."""

    def __init__(self, available: int) -> None:
        message = _("Not enough points: %(available)s available") % {"available": f"{available:,}".replace(",", ".")}
        super().__init__(
            message=message,
            code="insufficient_points",
            errors=[FieldError("points", message, "insufficient_points")],
            status=409,
        )


class VoucherRefused(DomainError):
    """A voucher cannot be used here (expired, used up, someone else's, below the minimum, unknown)."""

    def __init__(self, message: str, code: str, status: int = 422, field: str = "code") -> None:
        super().__init__(message=message, code=code, errors=[FieldError(field, message, code)], status=status)


def invalid(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def whole(value: Any, field: str, *, maximum: int, minimum: int = 1) -> int:
    """A whole number within bounds, or a field error."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise invalid(field, _("Give a whole number from %(low)s to %(high)s") % {"low": minimum, "high": maximum})
    return value


def key_of(idempotency_key: str | None, *, required: bool = True) -> str:
    key = (idempotency_key or "").strip()
    if required and not key:
        raise invalid("idempotency_key", _("Send an Idempotency-Key so a retry cannot spend twice"), "required")
    if len(key) > 120:
        raise invalid("idempotency_key", _("At most 120 characters"), "too_long")
    return key


def require(actor: Any, permission: str) -> None:
    """actor=None is the system (an event handler, a journey, the worker)."""
    if actor is not None and not actor.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": permission})


def is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def user_or_none(actor: Any) -> Any:
    return actor if is_user(actor) else None


def lock_customer(customer_id: int) -> Customer:
    """Lock the customer row: every ledger write of one customer runs one at a time (call inside atomic)."""
    query = Customer.objects.filter(pk=customer_id)
    if connection.features.has_select_for_update:
        query = query.select_for_update(of=("self",))
    return query.get()


def replay_conflict() -> Conflict:
    return Conflict(_("This idempotency key was used for another request"), code="idempotency_conflict")
