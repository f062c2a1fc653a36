"""Console forms: staff login with lockout after repeated failures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from haumai.accounts.services import clear_login_failures, login_locked_until, record_login_failure
from haumai.core.clock import LOCAL_TZ


def client_ip(request: Any) -> str | None:
    """The client's address as seen by this process (a proxy must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or None


class StaffLoginForm(AuthenticationForm):
    """Django's login form plus a lockout: 5 failures per username (20 per address) in 15 minutes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password."),
        "locked": _("Too many failed attempts. Try again after %(until)s."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "")[:150]
        password = self.cleaned_data.get("password")
        ip_address = client_ip(self.request)
        locked_until = login_locked_until(username=username, ip_address=ip_address)
        if locked_until is not None:
            until = formats.date_format(locked_until.astimezone(LOCAL_TZ), "H:i")
            raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                record_login_failure(username=username, ip_address=ip_address)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            clear_login_failures(username=username)
        return self.cleaned_data
