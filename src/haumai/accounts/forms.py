"""Login forms for every staff entry point; they share the lockout message of the login policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from haumai.core.clock import LOCAL_TZ

LOGIN_ERRORS = {
    "invalid_login": _("Wrong username or password."),
    "locked": _("Too many failed attempts. Try again after %(until)s."),
}


class LockoutMessageMixin:
    """Say "locked until hh:mm" instead of "wrong password" when the login policy refused to check it."""

    request: Any
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            locked_until = getattr(self.request, "login_locked_until", None)
            if locked_until is None:
                raise
            until = formats.date_format(locked_until.astimezone(LOCAL_TZ), "H:i")
            raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"until": until}) from None


class StaffLoginForm(LockoutMessageMixin, AuthenticationForm):
    """The console login (authenticate() applies the login policy)."""

    error_messages = {**AuthenticationForm.error_messages, **LOGIN_ERRORS}


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin login: the same policy and messages; only staff (managers, admins) get in."""

    error_messages = {**AdminAuthenticationForm.error_messages, "locked": LOGIN_ERRORS["locked"]}
