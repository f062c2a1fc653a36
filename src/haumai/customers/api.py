"""REST API v1 router."""

from __future__ import annotations

from ninja import Router

router = Router()
