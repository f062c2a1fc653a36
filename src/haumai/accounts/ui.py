"""Accounts in the console: the administration site (users, roles, policies) for staff with admin access."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="accounts.admin",
        area="settings",
        label=_("Administration"),
        url_name="admin:index",
        icon="settings",
        order=90,
        allowed=lambda user: bool(user.is_staff),
    )
)
