"""Django's model backend behind the one login policy, so every password entry point is throttled."""

from __future__ import annotations

import ipaddress
from functools import partial
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from haumai.accounts.models import User
from haumai.accounts.services import LoginLocked, authenticate_with_policy


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as seen by this process (a proxy must set REMOTE_ADDR correctly)."""
    if request is None:
        return None
    value = str(request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class PolicyModelBackend(ModelBackend):
    """Username + password, counted and locked out per account and per address (accounts.services)."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        check = partial(ModelBackend.authenticate, self, request, username=username, password=password, **kwargs)
        try:
            return authenticate_with_policy(username=str(username), ip_address=client_ip(request), check_password=check)
        except LoginLocked as exc:
            if request is not None:
                request.login_locked_until = exc.until  # type: ignore[attr-defined]
            # PermissionDenied makes django.contrib.auth.authenticate() stop here and answer None.
            raise PermissionDenied(exc.message) from exc
