"""Domain errors, mapped to HTTP (API) and form errors (UI) in one place each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One problem with one input field (or row/column of an import file)."""

    field: str
    message: str
    code: str = "invalid"


@dataclass
class DomainError(Exception):
    """Base class: a rule of the business refused the request; nothing was changed."""

    message: str
    code: str = "invalid"
    errors: list[FieldError] = field(default_factory=list)
    status: int = 400

    def __str__(self) -> str:
        return self.message


class ValidationFailed(DomainError):
    """Input did not pass validation."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message=message, code="validation_failed", errors=errors or [], status=422)


class NotFound(DomainError):
    """The thing does not exist (or the actor may not know that it does)."""

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message=message, code="not_found", status=404)


class Forbidden(DomainError):
    """The actor may not do this."""

    def __init__(self, message: str = "You do not have permission to do this") -> None:
        super().__init__(message=message, code="forbidden", status=403)


class Conflict(DomainError):
    """The request conflicts with what is stored (e.g. same idempotency key, other content)."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message=message, code=code, status=409)
