"""The inbound order webhook: e-commerce platforms push orders to /hooks/orders/ in a documented JSON shape.

The body is the API's order (`OrderIn`: channel, external_id, customer, lines, placed_at, store, payment
method, status, delivered_at, delivery) as JSON, signed with `X-Haumai-Signature: sha256=<hex>`, the
HMAC-SHA256 of the raw body with the shared secret `HAUMAI_ORDER_WEBHOOK_SECRET` (none configured: every
call is refused). Idempotent by channel + external id: a platform's retry gets 200 and the stored order;
the same id with other content is a 409 and changes nothing. Answers use the API's one error format.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from haumai.core.errors import DomainError
from haumai.core.signatures import signature_valid
from haumai.sales import push, selectors
from haumai.sales.schemas import OrderIn, order_out

MAX_BODY = 2 * 1024 * 1024
ACTOR_LABEL = "webhook:orders"


def secret() -> str:
    name = "HAUMAI_ORDER_WEBHOOK_SECRET"
    return str(getattr(settings, name, None) or os.environ.get(name, ""))


def _error(status: int, code: str, message: str, fields: list[dict[str, str]] | None = None) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": fields or []}}, status=status)


def _fields(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "invalid")),
            "code": str(error.get("type", "invalid")),
        }
        for error in exc.errors()
    ]


@csrf_exempt
@require_POST
def order_webhook(request: HttpRequest) -> JsonResponse:
    """201 with the order when it is new, 200 for a replay; 401 bad signature, 400/422 bad body, 409 conflict."""
    if len(request.body) > MAX_BODY:
        return _error(413, "too_large", _("The order is too large"))
    if not signature_valid(secret(), request.body, request.headers.get("X-Haumai-Signature", "")):
        return _error(401, "bad_signature", _("The signature does not match"))
    try:
        data: Any = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "malformed", _("The body is not JSON"))
    try:
        payload = OrderIn.model_validate(data)
    except ValidationError as exc:
        return _error(422, "validation_failed", _("Some fields are invalid"), _fields(exc))
    try:
        order, created = push.push_order(actor=None, payload=payload, actor_label=ACTOR_LABEL, signed=True)
    except DomainError as exc:
        fields = [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]
        return _error(exc.status, exc.code, exc.message, fields)
    body = order_out(selectors.order_by_code(order.code), pii=False)
    return JsonResponse(body, status=201 if created else 200)
