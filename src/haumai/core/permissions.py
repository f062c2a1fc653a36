"""The one permission check used at the HTTP edge of every app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from haumai.core.errors import Forbidden


def require(request: HttpRequest, permission: str) -> Any:
    """Return the acting user, or raise Forbidden when they lack the permission."""
    user = request.user
    if not user.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this (%(permission)s)") % {"permission": permission})
    return user
