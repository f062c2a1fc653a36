"""Django's model backend behind the one login policy, so every password entry point is throttled."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from haumai.accounts import access
from haumai.accounts.models import User
from haumai.accounts.services import LoginLocked, authenticate_with_policy
from haumai.core import network


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address (behind the trusted proxies, see haumai.core.network)."""
    return network.client_ip(request)


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

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """Django's permission lookup, answered from the per-process cache (accounts.access)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access.access_for(user_obj).permissions)
        return user_obj._perm_cache
