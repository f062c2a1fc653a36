"""REST API v1: shipping."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["shipping"])
