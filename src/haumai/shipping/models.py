"""Shipments and carrier adapters (GHN, GHTK, Viettel Post, J&T, Ninja Van, own fleet, drop-off)."""

from __future__ import annotations

from django.db import models  # noqa: F401
