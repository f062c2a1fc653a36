from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The customer portal: passwordless login, my orders, public warranty lookup."""

    name = "haumai.portal"
    label = "portal"
    verbose_name = "Customer portal"
