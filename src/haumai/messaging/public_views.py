"""The public unsubscribe page linked from every message (no login: the link itself is signed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from haumai.core.errors import DomainError
from haumai.messaging.context import read_unsubscribe_token
from haumai.messaging.services import unsubscribe as withdraw_consent


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail providers POST without a CSRF token; the link is signed.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST withdraws the consent."""
    try:
        data = read_unsubscribe_token(token)
    except DomainError as exc:
        return render(request, "messaging/unsubscribe.html", {"error": str(exc)}, status=400)
    if request.method == "GET":
        return render(request, "messaging/unsubscribe.html", {"data": data, "token": token})
    try:
        result = withdraw_consent(token=token)
    except DomainError as exc:
        return render(request, "messaging/unsubscribe.html", {"error": str(exc)}, status=400)
    return render(request, "messaging/unsubscribe.html", {"done": True, "data": result})
