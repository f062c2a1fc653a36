"""Inbound webhooks from carriers, Zalo, payment providers and e-commerce platforms (orders): /hooks/<provider>/...

Each provider module authenticates its own way (HMAC header, shared secret in body or URL) and is
idempotent; these URLs are CSRF-exempt and carry no session.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("shipping/", include("haumai.shipping.webhook_urls")),
    path("support/", include("haumai.support.webhook_urls")),
    path("orders/", include("haumai.sales.webhook_urls")),
]
