"""The API docs page with Swagger UI served from our own static files (vendor/swagger-ui), so /api/v1/docs
works offline and under a strict Content-Security-Policy (no CDN, no inline script)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed

TEMPLATE = "core/api_docs.html"


class OfflineSwagger(Swagger):
    """Ninja's Swagger docs rendered with the vendored swagger-ui-dist instead of a CDN."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        """The docs page (Ninja's settings, our template and assets)."""
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, TEMPLATE, context)
