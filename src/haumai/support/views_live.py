"""The ticket page's live channel for website chat: new messages after an id, and typing both ways.

`ticket_stream` pushes them as server-sent events (under ASGI; see `live_stream`); where the server
does not stream, or the EventSource fails, the page posts `ticket_live` every second while a web-chat
ticket is open (`after`: the newest message it shows, `composing`: the agent is writing a public
reply), and while streaming only when the agent starts or stops writing. The answer carries the new messages as rendered
rows, whether the visitor is typing, and the ticket's version (so the page does not ask for a reload
for a chat message it already shows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from haumai.core.errors import NotFound
from haumai.support import live, live_stream, selectors

MAX_ROWS = 50


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_POST
def ticket_live(request: HttpRequest, code: str) -> JsonResponse:
    """New messages of the ticket after `after` (rendered), the visitor's typing state, the version."""
    try:
        ticket = selectors.ticket_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    raw = request.POST.get("after", "0")
    if not raw.isdigit() or len(raw) > 18:
        return JsonResponse(
            {
                "error": {
                    "code": "validation_failed",
                    "message": "after must be a message id",
                    "fields": [{"field": "after", "message": "Enter a message id"}],
                }
            },
            status=422,
        )
    if ticket.channel == "web_chat" and request.user.has_perm("support.reply_ticket"):
        live.set_typing(ticket_id=ticket.pk, side="agent", typing=request.POST.get("composing") == "1",
                        customer_id=ticket.customer_id)  # fmt: skip
    rows = selectors.conversation_after(ticket, int(raw), limit=MAX_ROWS)
    response = JsonResponse({
        "rows": [render_to_string("support/_message.html", {"m": m, "ticket": ticket}, request=request) for m in rows],
        "cursor": rows[-1].pk if rows else int(raw),
        "visitor_typing": live.is_typing(ticket_id=ticket.pk, side="visitor"),
        "version": ticket.version,
    })  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_GET
def ticket_stream(request: HttpRequest, code: str) -> HttpResponseBase:
    """Server-sent events for a web-chat ticket's page: new messages (rendered) and the visitor's typing.

    204 when this server does not stream (WSGI by default): the page keeps posting `ticket_live`."""
    try:
        ticket = selectors.ticket_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    cursor = live_stream.start_cursor(request)
    if cursor is None:
        return JsonResponse(
            {"error": {"code": "validation_failed", "message": "after must be a message id",
                       "fields": [{"field": "after", "message": "Enter a message id"}]}},
            status=422,
        )  # fmt: skip
    language = translation.get_language()
    typing_shown: list[bool] = []

    def read(after: int, with_messages: bool) -> live_stream.Reading:
        reading = live_stream.Reading(cursor=after, topics=frozenset({f"ticket:{ticket.pk}"}))
        if with_messages:
            rows = selectors.conversation_after(ticket, after, limit=MAX_ROWS)
            if rows:
                version = selectors.ticket_version(ticket.pk)
                with translation.override(language):
                    html = [render_to_string("support/_message.html", {"m": m, "ticket": ticket}, request=request)
                            for m in rows]  # fmt: skip
                reading.cursor = rows[-1].pk
                reading.events.append(("messages", {"rows": html, "cursor": rows[-1].pk, "version": version}))
        typing = live.is_typing(ticket_id=ticket.pk, side="visitor")
        if typing_shown != [typing]:
            typing_shown[:] = [typing]
            reading.events.append(("typing", {"visitor_typing": typing}))
        return reading

    return live_stream.event_stream(
        request=request, read=read, cursor=cursor, topics=frozenset({f"ticket:{ticket.pk}"})
    )
