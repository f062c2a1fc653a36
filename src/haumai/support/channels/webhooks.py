"""Inbound webhook views of the support channels: /hooks/support/zalo/ and /hooks/support/facebook/.

Thin: authenticate and parse with the channel adapter, hand each `InboundMessage` to the support
ingestion service (idempotent on (channel, external_id)), answer fast. CSRF-exempt, no session.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from haumai.support.channels import facebook, zalo
from haumai.support.channels.inbound import InboundMessage

log = logging.getLogger(__name__)


def _headers(request: HttpRequest) -> dict[str, str]:
    return {key.lower(): value for key, value in request.headers.items()}


def _ingest(message: InboundMessage) -> None:
    # Imported here: the ingestion service lives on the tickets side of the app.
    from haumai.support.services.ingest import ingest_inbound

    ingest_inbound(message)


def _refused(code: str, message: str, status: int) -> JsonResponse:
    log.warning("support webhook refused: %s (%s)", code, message)
    return JsonResponse({"error": code, "message": message}, status=status)


@csrf_exempt
@require_POST
def zalo_oa(request: HttpRequest) -> HttpResponse:
    """One Zalo OA event: verify the MAC, refuse unknown OAs, ingest the message."""
    try:
        message = zalo.parse_event(request.body, _headers(request))
    except zalo.ZaloWebhookRefused as refused:
        if refused.status == 200:  # an event we do not handle: acknowledge so Zalo does not retry
            return JsonResponse({"ok": True, "ignored": refused.code})
        return _refused(refused.code, refused.message, refused.status)
    _ingest(message)
    return JsonResponse({"ok": True})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook_messenger(request: HttpRequest) -> HttpResponse:
    """GET: Meta's subscription handshake. POST: signed page events, each message ingested."""
    if request.method == "GET":
        try:
            challenge = facebook.handshake({key: str(value) for key, value in request.GET.items()})
        except facebook.FacebookWebhookRefused as refused:
            return _refused(refused.code, refused.message, refused.status)
        return HttpResponse(challenge, content_type="text/plain")
    try:
        messages = facebook.parse_webhook(request.body, _headers(request))
    except facebook.FacebookWebhookRefused as refused:
        return _refused(refused.code, refused.message, refused.status)
    for message in messages:
        _ingest(message)
    return JsonResponse({"ok": True, "messages": len(messages)})
