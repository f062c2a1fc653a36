"""Console forms: the staff login (the login policy lives in haumai.accounts), and putting a service's
refusal onto the form that asked for it."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from haumai.accounts.forms import StaffLoginForm
from haumai.core.errors import DomainError

__all__ = ["StaffLoginForm", "errors_onto_form"]


def errors_onto_form(form: forms.Form, exc: DomainError, renamed: Mapping[str, str] | None = None) -> None:
    """Each field error of a refusal beside its form field (`renamed`: service field -> form field; a nested
    "lines.0.qty" goes to "lines"), the others and a refusal without field errors at the top of the form."""
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        field = (renamed or {}).get(error.field, error.field.split(".")[0])
        form.add_error(field if field in form.fields else None, error.message)
