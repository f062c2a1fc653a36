"""Outbound messages: versioned templates, channel clients (email, Zalo OA/ZNS, SMS, webhooks) and deliveries."""

from __future__ import annotations

from django.db import models  # noqa: F401
