"""Carrier webhooks: authenticate as each carrier allows, ingest idempotently, answer as its docs expect."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haumai.shipping import services
from haumai.shipping.carriers import WEBHOOK_CARRIERS, WebhookForbidden, WebhookMalformed, adapter_for

MAX_BODY_BYTES = 256 * 1024


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest, carrier: str, secret: str = "") -> JsonResponse:
    """POST /hooks/shipping/<carrier>/ (GHN: /hooks/shipping/ghn/<secret>/)."""
    if carrier not in WEBHOOK_CARRIERS:
        return _error(404, "unknown_carrier", f"No webhook for carrier '{carrier}'.")
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "The webhook body is larger than 256 KB.")
    adapter = adapter_for(carrier)
    try:
        updates = adapter.parse_webhook(request.body, request.headers, request.GET, url_secret=secret)
    except WebhookForbidden as exc:
        return _error(403, "forbidden", str(exc))
    except WebhookMalformed as exc:
        return _error(400, "malformed", str(exc))
    # Unknown orders are acknowledged too: a carrier account also reports orders booked outside Haumai.
    services.ingest_tracking_updates(carrier_code=carrier, updates=updates)
    status, body = adapter.acknowledgement()
    return JsonResponse(body, status=status)
