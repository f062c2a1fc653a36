"""Console pages of AI assistance: the ticket actions (draft, summary, translation) and the call log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.assist import conf, selectors, services
from haumai.assist.models import Outcome, Purpose
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.support import selectors as support

PAGE_SIZE = 50
RESULT_KEY = "assist_result"
DRAFT_KEY = "support_draft"  # the support ticket page fills its reply box from this


def _ticket(code: str):  # type: ignore[no-untyped-def]
    try:
        return support.ticket_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _agent_language() -> str:
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def _back(code: str) -> HttpResponse:
    return redirect("support:ticket", code=code)


def _refused(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


@login_required
@permission_required("support.reply_ticket", raise_exception=True)
@require_POST
def draft(request: HttpRequest, code: str) -> HttpResponse:
    """Draft a reply into the ticket's reply box (the agent reads, edits and sends it, or not)."""
    ticket = _ticket(code)
    try:
        result = services.draft_reply(actor=request.user, ticket=ticket)
    except DomainError as exc:
        _refused(request, exc)
        return _back(ticket.code)
    request.session[DRAFT_KEY] = {"code": ticket.code, "body": result.text}
    request.session[RESULT_KEY] = {
        "code": ticket.code, "kind": "draft", "text": "",
        "citations": [{"title": s.title, "url": s.url} for s in result.citations],
    }  # fmt: skip
    messages.success(request, _("AI draft ready in the reply box. Check it before you send it."))
    return _back(ticket.code)


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_POST
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """Summarize the conversation for the agent (shown on the ticket page, not sent)."""
    ticket = _ticket(code)
    try:
        result = services.summarize(actor=request.user, ticket=ticket, language=_agent_language())
    except DomainError as exc:
        _refused(request, exc)
        return _back(ticket.code)
    request.session[RESULT_KEY] = {"code": ticket.code, "kind": "summary", "text": result.text, "citations": []}
    return _back(ticket.code)


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_POST
def translate(request: HttpRequest, code: str) -> HttpResponse:
    """Translate one of the customer's messages into the agent's language (shown, not sent)."""
    ticket = _ticket(code)
    raw = request.POST.get("message", "")
    try:
        if not raw.isdigit():
            raise DomainError(message=_("Choose a message of the customer on this ticket."), code="invalid_choice")
        result = services.translate(actor=request.user, ticket=ticket, message_id=int(raw), language=_agent_language())
    except DomainError as exc:
        _refused(request, exc)
        return _back(ticket.code)
    request.session[RESULT_KEY] = {
        "code": ticket.code,
        "kind": "translation",
        "text": result.text,
        "message": int(raw),
        "citations": [],
    }
    return _back(ticket.code)


@login_required
@permission_required("assist.view_aicall", raise_exception=True)
@require_GET
def call_log(request: HttpRequest) -> HttpResponse:
    """Every AI call: purpose, model, tokens, latency, outcome, who; this month against the budget."""
    purpose = request.GET.get("purpose", "")
    purpose = purpose if purpose in Purpose.values else ""
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in Outcome.values else ""
    page = page_number(request)
    rows, has_next = page_of(selectors.calls(purpose=purpose, outcome=outcome), page, PAGE_SIZE)
    context = {
        "rows": rows, "page": page, "has_next": has_next, "purpose": purpose, "outcome": outcome,
        "purposes": Purpose.choices, "outcomes": Outcome.choices, "summary": selectors.month_summary(),
        "by_purpose": selectors.tokens_by_purpose(), "enabled": conf.enabled(), "model": conf.model(),
        "base_url": conf.base_url(), "masked": not conf.send_personal_data(), "timeout": conf.timeout_seconds(),
    }  # fmt: skip
    return render(request, "assist/call_log.html", context)
