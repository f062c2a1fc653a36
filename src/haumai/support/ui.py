"""Console registration: the Inbox (home area, the agents' landing page), approvals, and ticket search."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core import clock
from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.support.models import ACTIVE_STATUSES, GoodwillRequest, GoodwillStatus, Ticket


def _mine(user: Any) -> int | None:
    return capped_count(Ticket.objects.filter(assignee=user, status__in=ACTIVE_STATUSES))


def _pending_approvals(user: Any) -> int | None:
    return capped_count(GoodwillRequest.objects.filter(status=GoodwillStatus.PENDING))


def search_tickets(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A ticket by its code (TK-2026-000123, or the number alone). Names and subjects are searched in the
    inbox: the global search leaves a name to the customers provider (one ranked query for the palette)."""
    text = query.strip().upper()
    if text.isdigit() and 1 <= len(text) <= 6:
        text = f"TK-{clock.today().year}-{int(text):06d}"
    if not text.startswith("TK-") or len(text) < 6:
        return []
    return [
        SearchHit(
            kind=_("Ticket"),
            title=f"{t.code} · {t.subject[:60]}",
            url=reverse("support:ticket", args=[t.code]),
            subtitle=f"{t.customer.full_name} · {t.get_status_display()}",
            icon="messages-square",
            score=1.0,
        )
        for t in Ticket.objects.filter(code=text[:20]).select_related("customer")[:limit]
    ]


register_nav(
    NavEntry(
        key="support.inbox",
        area="home",
        label=_("Inbox"),
        url_name="support:inbox",
        icon="inbox",
        permission="support.view_ticket",
        order=5,
        active_prefixes=("/console/inbox/",),
        count=_mine,
        landing_for=("agent",),
    ),
    NavEntry(
        key="support.approvals",
        area="care",
        label=_("Goodwill approvals"),
        url_name="support:approvals",
        icon="hand-helping",
        permission="support.approve_goodwill",
        order=30,
        active_prefixes=("/console/inbox/approvals/",),
        count=_pending_approvals,
    ),
)
register_search(
    SearchProvider(key="support", label=_("Tickets"), search=search_tickets, permission="support.view_ticket", order=30)
)
