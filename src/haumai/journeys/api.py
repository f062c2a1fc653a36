"""REST API v1: journeys."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["journeys"])
