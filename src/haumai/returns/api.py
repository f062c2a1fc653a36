"""REST API v1: returns."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["returns"])
