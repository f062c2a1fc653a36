"""The AI actions on the support ticket page (`{% assist_ticket_panel %}`), shown only when AI is on."""

from __future__ import annotations

from typing import Any

from django import template

from haumai.assist import conf

register = template.Library()
RESULT_KEY = "assist_result"
MESSAGES_OFFERED = 5


@register.inclusion_tag("assist/_ticket_panel.html", takes_context=True)
def assist_ticket_panel(context: Any) -> dict[str, Any]:
    """The draft / summary / translate buttons and the last result of this ticket (read once)."""
    request = context.get("request")
    ticket = context.get("ticket")
    user = getattr(request, "user", None)
    if not conf.enabled() or ticket is None or user is None or not user.has_perm("support.view_ticket"):
        return {"shown": False}
    result = request.session.get(RESULT_KEY)
    if isinstance(result, dict) and result.get("code") == ticket.code:
        request.session.pop(RESULT_KEY, None)
    else:
        result = None
    conversation = context.get("conversation") or []
    inbound = [m for m in conversation if m.direction == "in" and m.visibility == "public"][-MESSAGES_OFFERED:]
    return {
        "shown": True, "ticket": ticket, "result": result, "inbound": list(reversed(inbound)),
        "can_draft": bool(context.get("can_reply")) and user.has_perm("support.reply_ticket"),
        "csrf_token": context.get("csrf_token"),
    }  # fmt: skip
