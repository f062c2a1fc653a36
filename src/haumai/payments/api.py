"""REST API v1: payments."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["payments"])
