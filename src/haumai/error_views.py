"""400, 403, 404 and 500 pages: the portal's look under /portal/, the console's everywhere else, JSON under /api/.

The 500 page is a static template rendered without the request, the session or the database, because
any of them may be what failed.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PORTAL_PREFIX = "/portal/"
API_PREFIX = "/api/"


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    """The API's one error shape (see haumai.api.error_body), without importing the API."""
    return JsonResponse({"error": {"code": code, "message": message, "fields": []}}, status=status)


def _page(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        message = _("You do not have permission to do this.") if status == 403 else _("Not found.")
        return _api_error("forbidden" if status == 403 else "not_found", message, status)
    if request.path.startswith(PORTAL_PREFIX):
        from haumai.portal.views import error_page

        return error_page(request, status)
    template = "console/forbidden.html" if status == 403 else "console/errors/404.html"
    return render(request, template, {"status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400 (a request Django refuses before any view, e.g. a Host header that is not a host name).

    JSON under /api/, so API clients always get the API's error shape; Django's plain page elsewhere.
    """
    if request.path.startswith(API_PREFIX):
        return _api_error("bad_request", _("The request is malformed."), 400)
    from django.views.defaults import bad_request as django_bad_request

    return django_bad_request(request, exception or Exception())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404."""
    return _page(request, 404)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """handler500: a static page (no request context, no database)."""
    path = getattr(request, "path", "") or ""
    if path.startswith(API_PREFIX):
        return _api_error("server_error", _("Something went wrong on our side. Try again in a moment."), 500)
    name = "portal/errors/500.html" if path.startswith(PORTAL_PREFIX) else "console/errors/500.html"
    return HttpResponse(get_template(name).render(), status=500)
