"""Inbound webhooks of support: /hooks/support/email/ (the common "inbound parse" shape).

Authentication: `X-Haumai-Signature: sha256=<hex>` = HMAC-SHA256 of the raw request body with the shared
secret `HAUMAI_SUPPORT_INBOUND_SECRET`; a missing secret refuses everything. The body is either the raw
MIME message (field `email`, as SendGrid's "send raw" or a mail server pipe sends it, or a body of type
message/rfc822) or the parsed fields (`from`, `to`, `subject`, `text`, `html`, `headers`, files).
Replays are harmless: the Message-ID is the idempotency key.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haumai.core.errors import DomainError
from haumai.core.signatures import signature_valid
from haumai.support import conf
from haumai.support.channels.email import message_ids, parse_email
from haumai.support.channels.inbound import InboundAttachment, InboundMessage
from haumai.support.services.ingest import ingest_inbound

MAX_BODY = 40 * 1024 * 1024


def _error(status: int, code: str, message: str, field: str = "") -> JsonResponse:
    fields = [{"field": field, "message": message, "code": code}] if field else []
    return JsonResponse({"error": {"code": code, "message": message, "fields": fields}}, status=status)


def _from_fields(request: HttpRequest) -> InboundMessage | None:
    """Build the message from parsed fields (headers carried in `headers` when the provider sends them)."""
    raw_headers = request.POST.get("headers", "")
    head = "".join(line for line in raw_headers.splitlines(keepends=True))
    sender = request.POST.get("from", "")
    if not sender:
        return None
    composed = f"{head.strip()}\r\n" if head.strip() else ""
    for name in ("From", "To", "Subject"):
        if f"\n{name.lower()}:" not in f"\n{head.lower()}":
            composed += f"{name}: {request.POST.get(name.lower(), '')}\r\n"
    parsed = parse_email(composed.encode("utf-8", "replace") + b"\r\n")
    attachments = tuple(
        InboundAttachment(filename=f.name or "attachment", content_type=f.content_type or "application/octet-stream",
                          content=f.read())
        for name in request.FILES
        for f in request.FILES.getlist(name)
    )  # fmt: skip
    external = parsed.external_id
    if external.startswith("sha256:"):
        # No Message-ID: key on the whole content so the same post replays to the same message.
        digest = hashlib.sha256(request.body).hexdigest()
        external = f"sha256:{digest}"
    return InboundMessage(
        channel="email",
        external_id=external,
        sender_kind="email",
        sender_value=parsed.sender_value,
        sender_name=parsed.sender_name,
        sent_at=parsed.sent_at,
        subject=parsed.subject,
        text=request.POST.get("text", ""),
        html=request.POST.get("html", ""),
        thread_keys=parsed.thread_keys or tuple(message_ids(request.POST.get("in_reply_to", ""))),
        account_id=parsed.account_id,
        attachments=attachments,
    )


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    """Take one inbound e-mail; 200 with the ticket code (also for a replay), 401 on a bad signature."""
    if len(request.body) > MAX_BODY:
        return _error(413, "too_large", _("The message is too large"))
    if not signature_valid(conf.inbound_email_secret(), request.body, request.headers.get("X-Haumai-Signature", "")):
        return _error(401, "bad_signature", _("The signature does not match"))
    content_type = request.content_type or ""
    if content_type == "message/rfc822":
        message: InboundMessage | None = parse_email(request.body)
    elif "email" in request.POST:
        message = parse_email(request.POST["email"].encode("utf-8"))
    elif request.FILES.getlist("email"):
        message = parse_email(request.FILES.getlist("email")[0].read())
    else:
        message = _from_fields(request)
    if message is None or not message.sender_value:
        return _error(422, "validation_failed", _("The sender address is missing"), "from")
    try:
        stored = ingest_inbound(message)
    except DomainError as exc:
        return _error(exc.status, exc.code, exc.message)
    body: dict[str, Any] = {"ok": True}
    if stored is not None:
        body.update(ticket=stored.ticket.code, message_id=stored.pk)
    return JsonResponse(body)
