"""Console pages of support: the inbox (the agents' home), the ticket page and its actions, presence."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haumai.accounts.selectors import shown_email, shown_phone
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.privacy import audit
from haumai.support import selectors
from haumai.support.models import Attachment, GoodwillKind, Priority, Ticket, TicketChannel, TicketStatus, Visibility
from haumai.support.services import presence, tickets

PAGE_SIZE = 25
QUEUE_LABELS = {
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("My team"),
    "unassigned": gettext_lazy("Unassigned"),
    "breaching": gettext_lazy("Breaching soon"),
    "all": gettext_lazy("All tickets"),
}


def _load(code: str) -> Ticket:
    try:
        return selectors.ticket_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def refused(request: HttpRequest, exc: DomainError) -> None:
    """Show a refusal as a toast with its field messages."""
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Queues (mine, team, unassigned, breaching soon, all), filters and diacritic-insensitive search."""
    get = request.GET
    filters = selectors.InboxFilters(
        queue=get.get("queue", "mine") if get.get("queue", "mine") in selectors.QUEUES else "mine",
        status=get.get("status", "") if get.get("status", "") in TicketStatus.values else "",
        channel=get.get("channel", "") if get.get("channel", "") in TicketChannel.values else "",
        priority=get.get("priority", "") if get.get("priority", "") in Priority.values else "",
        tag=get.get("tag", "").strip()[:40],
        q=get.get("q", "").strip()[:100],
    )
    page = page_number(request)
    rows, has_next = page_of(selectors.inbox(request.user, filters), page, PAGE_SIZE)
    counts = selectors.queue_counts(request.user)
    query = {k: v for k, v in {"status": filters.status, "channel": filters.channel, "priority": filters.priority,
                                "tag": filters.tag, "q": filters.q}.items() if v}  # fmt: skip
    return render(
        request,
        "support/inbox.html",
        {
            "rows": rows,
            "has_next": has_next,
            "page": page,
            "filters": filters,
            "queues": [(key, label, counts.get(key)) for key, label in QUEUE_LABELS.items()],
            "statuses": TicketStatus.choices,
            "channels": TicketChannel.choices,
            "priorities": Priority.choices,
            "query_string": urlencode(query),
        },
    )


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_GET
def ticket_page(request: HttpRequest, code: str) -> HttpResponse:
    """The conversation, the reply/note box, and the ticket's fields and actions."""
    ticket = _load(code)
    if request.user.has_perm("support.reply_ticket"):
        presence.mark_viewing(actor=request.user, ticket=ticket)
    customer = ticket.customer
    draft = request.session.pop("support_draft", None)
    agents = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["agent", "manager"])
        .distinct()
        .order_by("username")
    )
    if customer is not None:
        audit.contact_shown(request, customer=customer, target=ticket.code, page="ticket")
    conversation = selectors.conversation(ticket)
    return render(
        request,
        "support/ticket.html",
        {
            "ticket": ticket,
            "conversation": conversation,
            "last_message_id": max((m.pk for m in conversation), default=0),
            "others": selectors.others_viewing(ticket, request.user),
            "phone": shown_phone(request.user, customer.phone),
            "email": shown_email(request.user, customer.email),
            "statuses": [(s, TicketStatus(s).label) for s in tickets.TRANSITIONS.get(ticket.status, ())],
            "priorities": Priority.choices,
            "agents": agents[:200],
            "macros": selectors.active_macros(),
            "calls": selectors.ticket_calls(ticket),
            "goodwill": list(ticket.goodwill.select_related("requested_by", "decided_by").order_by("-requested_at")),
            "tags_text": ", ".join(t.name for t in ticket.tags.all()),
            "draft": draft["body"] if isinstance(draft, dict) and draft.get("code") == ticket.code else "",
            "goodwill_kinds": GoodwillKind.choices,
            "can_reply": request.user.has_perm("support.reply_ticket") and ticket.status not in ("closed", "merged"),
        },
    )


def _back(code: str) -> HttpResponse:
    return redirect("support:ticket", code=code)


@login_required
@permission_required("support.reply_ticket", raise_exception=True)
@require_POST
def ticket_reply(request: HttpRequest, code: str) -> HttpResponse:
    """Post a public reply or an internal note (optionally moving the ticket on)."""
    ticket = _load(code)
    visibility = request.POST.get("visibility", Visibility.PUBLIC)
    seen_version = request.POST.get("version", "")
    try:
        tickets.reply(
            actor=request.user,
            ticket=ticket,
            body=request.POST.get("body", ""),
            visibility=visibility,
            then_status=request.POST.get("then_status", ""),
        )
    except DomainError as exc:
        refused(request, exc)
        request.session["support_draft"] = {"code": ticket.code, "body": request.POST.get("body", "")[:20_000]}
        return _back(ticket.code)
    if seen_version.isdigit() and int(seen_version) != ticket.version:
        messages.info(request, _("Someone else changed this ticket while you wrote; both messages are kept."))
    messages.success(request, _("Reply sent") if visibility == Visibility.PUBLIC else _("Note added"))
    return _back(ticket.code)


@login_required
@permission_required("support.reply_ticket", raise_exception=True)
@require_POST
def ticket_update(request: HttpRequest, code: str) -> HttpResponse:
    """One change from the side panel: status, assignee, priority, tags or a follow-up ticket."""
    ticket = _load(code)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "status":
            tickets.change_status(actor=user, ticket=ticket, status=request.POST.get("status", ""))
        elif action == "assign":
            assignee = _assignee(request.POST.get("assignee", ""), user)
            tickets.assign(actor=user, ticket=ticket, assignee=assignee)
        elif action == "priority":
            tickets.set_priority(actor=user, ticket=ticket, priority=request.POST.get("priority", ""))
        elif action == "tags":
            names = [n for n in request.POST.get("tags", "").split(",") if n.strip()]
            tickets.set_tags(actor=user, ticket=ticket, names=names)
        elif action == "follow_up":
            follow = tickets.open_follow_up(actor=user, ticket=ticket)
            messages.success(request, _("Follow-up ticket %(code)s opened") % {"code": follow.code})
            return _back(follow.code)
        else:
            raise Http404("unknown action")
    except DomainError as exc:
        refused(request, exc)
        return _back(ticket.code)
    messages.success(request, _("Ticket updated"))
    return _back(ticket.code)


def _assignee(value: str, user: Any) -> Any:
    if value == "me":
        return user
    if not value:
        return None
    found = get_user_model().objects.filter(pk=int(value) if value.isdigit() else 0, is_active=True).first()
    if found is None:
        from haumai.support.services.common import refuse

        raise refuse("assignee", _("Choose a person from the list"), "invalid_choice")
    return found


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_POST
def ticket_presence(request: HttpRequest, code: str) -> JsonResponse:
    """The page's heartbeat: records this viewer and answers who else is here and the ticket's version."""
    ticket = _load(code)
    if request.user.has_perm("support.reply_ticket"):
        presence.mark_viewing(actor=request.user, ticket=ticket, composing=request.POST.get("composing") == "1")
    others = selectors.others_viewing(ticket, request.user)
    response = JsonResponse(
        {
            "version": ticket.version,
            "others": [
                {"name": p.user.get_full_name() or p.user.get_username(), "composing": p.composing} for p in others
            ],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_GET
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    """Download an attachment of a message of this ticket (served as a download, never inline)."""
    stored = Attachment.objects.filter(pk=attachment_id, message__ticket__code=code.upper()[:20]).first()
    if stored is None or not stored.file:
        raise Http404("attachment not found")
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.filename,
                        content_type="application/octet-stream")  # fmt: skip
