"""The website chat widget over HTTP (under /widget/): the script, the visitor's JSON API, a demo page.

Thin: parse, authenticate the visitor token (`X-Haumai-Visitor`), call `channels.web_chat_visitors`,
answer JSON in the API's one error format. The API is CORS-open to the origins in
`HAUMAI_WEB_CHAT_ORIGINS` ("*" by default) without credentials: the token, not a cookie, is who you
are. Only a same-origin request (the widget on the portal) is read for the portal session, which links
the visitor to the logged-in customer.

Transport: the widget asks `POST api/stream-ticket` (with its `X-Haumai-Visitor` header) for a signed
stream ticket valid a minute, then opens `GET api/stream?ticket=...&after=<id>` (server-sent events;
EventSource cannot send headers). The long-lived visitor token never rides in a URL: a stream asked with
`?token=` is refused. Under ASGI a waiting stream holds no thread
(`live_stream`); under WSGI (the default `haumai web`) the stream answers 204 and the widget polls
`GET api/messages?after=<id>` (every second while open), as it does whenever the EventSource fails.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from haumai.core.errors import DomainError, FieldError, ValidationFailed
from haumai.core.network import client_ip
from haumai.portal import selectors as portal_selectors
from haumai.support import live, live_stream
from haumai.support.channels import web_chat
from haumai.support.channels import web_chat_visitors as visitors

R = TypeVar("R", bound=HttpResponseBase)
MAX_BODY_BYTES = 16 * 1024
SCRIPT = Path(__file__).resolve().parent / "static" / "support" / "widget" / "haumai-chat.js"
PORTAL_SESSION_KEY = "portal_customer_id"  # portal.views.SESSION_CUSTOMER (views are not imported across apps)


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


def allowed_origins() -> list[str]:
    """Sites that may embed the chat ("*": any site)."""
    return [o.strip().rstrip("/") for o in _setting("HAUMAI_WEB_CHAT_ORIGINS", "*").split(",") if o.strip()]


def _same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin", "")
    if not origin:
        return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    parts = urlsplit(origin)
    return parts.netloc == request.get_host() and parts.scheme == request.scheme


def _cors(request: HttpRequest, response: R) -> R:
    origin = request.headers.get("Origin", "")
    response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    if origin and not _same_origin(request):
        allowed = allowed_origins()
        if "*" in allowed or origin.rstrip("/") in allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = (
                "Content-Type, X-Haumai-Visitor, X-Haumai-Language, Last-Event-ID"
            )
            response["Access-Control-Max-Age"] = "600"
    return response


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: list[FieldError] | None = None
) -> HttpResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "fields": [{"field": f.field, "message": f.message, "code": f.code} for f in fields or []],
        }
    }
    return _cors(request, JsonResponse(body, status=status))


def _origin_refused(request: HttpRequest) -> HttpResponse | None:
    origin = request.headers.get("Origin", "")
    if not origin or _same_origin(request):
        return None
    allowed = allowed_origins()
    if "*" in allowed or origin.rstrip("/") in allowed:
        return None
    return _error(request, 403, "origin_refused", _("This website may not use the chat"))


def _language(request: HttpRequest) -> str:
    wanted = (request.GET.get("lang") or request.headers.get("X-Haumai-Language") or "vi")[:5].lower()
    return "en" if wanted.startswith("en") else "vi"


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise DomainError(message=_("The message is too large"), code="too_large", status=413)
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(_("The request body is not JSON")) from error
    if not isinstance(data, dict):
        raise ValidationFailed(_("The request body is not a JSON object"))
    return data


def _visitor(request: HttpRequest) -> str:
    visitor = web_chat.read_visitor_token(request.headers.get("X-Haumai-Visitor", ""))
    if visitor is None:
        raise DomainError(message=_("Your chat session is not valid; reload the page"), code="bad_visitor", status=401)
    return visitor


def _labels() -> dict[str, str]:
    return {
        "title": _("Chat with us"),
        "greeting": _setting("HAUMAI_WEB_CHAT_GREETING_" + translation.get_language().upper()[:2], "")
        or _("Hello! How can we help you?"),
        "placeholder": _("Write a message…"),
        "send": _("Send"),
        "open": _("Open the chat"),
        "close": _("Close the chat"),
        "typing": _("is typing…"),
        "agent": _("Customer care"),
        "bot": _("Virtual assistant"),
        "you": _("You"),
        "offline_title": _("We are offline now"),
        "offline_intro": _("Leave your name, phone or e-mail and your message: we will answer when we are back."),
        "name": _("Your name"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "message": _("Message"),
        "offline_send": _("Send message"),
        "offline_sent": _("Thank you! We will contact you as soon as we are back."),
        "failed": _("Not sent. Check your connection and try again."),
    }


def _messages_payload(customer: Any, after: int) -> tuple[list[dict[str, Any]], int]:
    rows = visitors.conversation_after(customer=customer, after=after)
    items = [web_chat.serialize(m, author_name=visitors.author_name(m)) for m in rows]
    return items, (rows[-1].pk if rows else after)


def _answer(request: HttpRequest, view: Any) -> Any:
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204))
    refused = _origin_refused(request)
    if refused is not None:
        return refused
    with translation.override(_language(request)):
        try:
            return _cors(request, view(request))
        except DomainError as exc:
            return _error(request, exc.status, exc.code, exc.message, exc.errors)


@csrf_exempt
def session(request: HttpRequest) -> HttpResponse:
    """POST: the visitor's token (issued when missing or invalid), the chat's settings and their conversation."""

    def run(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return _error(request, 405, "method_not_allowed", _("Use POST"))
        data = _json_body(request)
        visitor = web_chat.read_visitor_token(str(data.get("token") or "")) or web_chat.new_visitor_id()
        linked = False
        if _same_origin(request):
            portal_customer = portal_selectors.portal_customer(request.session.get(PORTAL_SESSION_KEY))
            if portal_customer is not None:
                visitor = visitors.link_portal_customer(visitor_id=visitor, customer=portal_customer)
                linked = True
        customer = visitors.visitor_customer(visitor)
        items, cursor = _messages_payload(customer, 0)
        ticket_id = visitors.current_ticket_id(customer)
        return JsonResponse({
            "token": web_chat.visitor_token(visitor),
            "online": live.on_shift(),
            "logged_in": linked,
            "color": _setting("HAUMAI_WEB_CHAT_COLOR", "#0d6efd"),
            "language": translation.get_language(),
            "labels": _labels(),
            "poll_ms": 1000,
            "stream": live_stream.streams_here(request),
            "messages": items,
            "cursor": cursor,
            "agent_typing": bool(ticket_id and live.is_typing(ticket_id=ticket_id, side="agent")),
        })  # fmt: skip

    return _answer(request, run)


@csrf_exempt
def messages(request: HttpRequest) -> HttpResponse:
    """GET ?after=<id>: the visitor's new messages (and whether an agent is typing). POST: write one message."""

    def run(request: HttpRequest) -> HttpResponse:
        visitor = _visitor(request)
        if request.method == "GET":
            raw = request.GET.get("after", "0")
            if not raw.isdigit() or len(raw) > 18:
                raise ValidationFailed(_("Some fields are invalid"), [FieldError("after", _("Enter a message id"))])
            customer = visitors.visitor_customer(visitor)
            items, cursor = _messages_payload(customer, int(raw))
            ticket_id = visitors.current_ticket_id(customer)
            return JsonResponse({
                "messages": items, "cursor": cursor, "online": live.on_shift(),
                "agent_typing": bool(ticket_id and live.is_typing(ticket_id=ticket_id, side="agent")),
            })  # fmt: skip
        if request.method != "POST":
            return _error(request, 405, "method_not_allowed", _("Use GET or POST"))
        data = _json_body(request)
        stored = visitors.post_message(visitor_id=visitor, client_id=data.get("client_id"), text=data.get("text"),
                                       name=data.get("name", ""), address=client_ip(request) or "")  # fmt: skip
        return JsonResponse({"message": web_chat.serialize(stored, author_name="")}, status=201)

    return _answer(request, run)


@csrf_exempt
def stream_ticket(request: HttpRequest) -> HttpResponse:
    """POST (header X-Haumai-Visitor): a ticket that opens the visitor's event stream within a minute."""

    def run(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return _error(request, 405, "method_not_allowed", _("Use POST"))
        visitor = _visitor(request)
        return JsonResponse(
            {"ticket": web_chat.stream_ticket(visitor), "expires_in": web_chat.STREAM_TICKET_MAX_AGE_SECONDS}
        )

    return _answer(request, run)


@require_GET
def stream(request: HttpRequest) -> HttpResponseBase:
    """GET ?ticket=&after=: server-sent events with the visitor's new messages and the agent's typing."""

    def run(request: HttpRequest) -> HttpResponseBase:
        if "token" in request.GET:  # the visitor token does not belong in a URL (logs, proxies)
            raise DomainError(message=_("Ask for a stream ticket; the chat token is not accepted in a link"),
                              code="token_in_url", status=400)  # fmt: skip
        visitor = web_chat.read_stream_ticket(request.GET.get("ticket", ""))
        if visitor is None:
            raise DomainError(message=_("The stream ticket is not valid or has expired; ask for a new one"),
                              code="bad_stream_ticket", status=401)  # fmt: skip
        cursor = live_stream.start_cursor(request)
        if cursor is None:
            raise ValidationFailed(_("Some fields are invalid"), [FieldError("after", _("Enter a message id"))])
        return live_stream.event_stream(request=request, read=_visitor_reader(visitor), cursor=cursor,
                                        topics=frozenset({f"visitor:{visitor}"}))  # fmt: skip

    return _answer(request, run)


def _visitor_reader(visitor: str) -> live_stream.Reader:
    """What the visitor's stream reads on a wake-up: messages (on a notice or the periodic re-read), the
    agent's typing and whether the chat is staffed (each sent when it changed)."""
    shown: dict[str, Any] = {}

    def read(after: int, with_messages: bool) -> live_stream.Reading:
        reading = live_stream.Reading(cursor=after, topics=frozenset({f"visitor:{visitor}"}))
        if with_messages or "customer" not in shown:
            customer = visitors.visitor_customer(visitor)
            shown["customer"] = customer.pk if customer else None
            shown["ticket"] = visitors.current_ticket_id(customer)
            items, cursor = _messages_payload(customer, after)
            online = live.on_shift()
            if items or online != shown.get("online"):
                shown["online"] = online
                reading.cursor = cursor
                reading.events.append(("messages", {"messages": items, "cursor": cursor, "online": online}))
        if shown["customer"]:
            reading.topics = frozenset({f"visitor:{visitor}", f"customer:{shown['customer']}"})
        ticket_id = shown["ticket"]
        typing = bool(ticket_id and live.is_typing(ticket_id=ticket_id, side="agent"))
        if typing != shown.get("typing"):
            shown["typing"] = typing
            reading.events.append(("typing", {"agent_typing": typing}))
        return reading

    return read


@csrf_exempt
def typing(request: HttpRequest) -> HttpResponse:
    """POST {"typing": true|false}: the visitor is typing (shown to the agent for a few seconds)."""

    def run(request: HttpRequest) -> HttpResponse:
        visitor = _visitor(request)
        if request.method != "POST":
            return _error(request, 405, "method_not_allowed", _("Use POST"))
        data = _json_body(request)
        ticket_id = visitors.current_ticket_id(visitors.visitor_customer(visitor))
        if ticket_id is not None:
            live.set_typing(ticket_id=ticket_id, side="visitor", typing=bool(data.get("typing")))
        return HttpResponse(status=204)

    return _answer(request, run)


@csrf_exempt
def offline(request: HttpRequest) -> HttpResponse:
    """POST the offline form: name, phone or e-mail, message."""

    def run(request: HttpRequest) -> HttpResponse:
        visitor = _visitor(request)
        if request.method != "POST":
            return _error(request, 405, "method_not_allowed", _("Use POST"))
        data = _json_body(request)
        stored = visitors.post_offline(
            visitor_id=visitor, client_id=data.get("client_id"), name=data.get("name"), phone=data.get("phone"),
            email=data.get("email"), text=data.get("text"), address=client_ip(request) or "",
        )  # fmt: skip
        return JsonResponse({"message": web_chat.serialize(stored, author_name="")}, status=201)

    return _answer(request, run)


@cache
def _script() -> bytes:
    return SCRIPT.read_bytes()


@require_GET
def script(request: HttpRequest) -> HttpResponse:
    """The embeddable script (`<script src=".../widget/haumai-chat.js" defer></script>`)."""
    body = SCRIPT.read_bytes() if settings.DEBUG else _script()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def demo(request: HttpRequest) -> HttpResponse:
    """A page with the script tag, to try the chat and copy the snippet for the shop's website."""
    return render(
        request, "support/widget/demo.html", {"script_url": request.build_absolute_uri("/widget/haumai-chat.js")}
    )
