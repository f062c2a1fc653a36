"""Returns in the console: queue, receiving and metrics pages, RMA search, "new return for ..." actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haumai.accounts.selectors import can_look_up_by_contact
from haumai.core.paging import BADGE_CAP
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.core.text import search_key, words_match
from haumai.customers.selectors import customer_search, searches_by_contact
from haumai.returns.models import Status
from haumai.returns.selectors import count_in_status, return_queue

# Typed before a customer's name or an order code: "doi tra nguyen an", "new return ORD-2026-000001".
ACTION_PREFIXES = ("tao doi tra ", "doi tra ", "new return for ", "new return ", "return for ")


def _to_approve(user: Any) -> int | None:
    if not user.has_perm("returns.approve_returnrequest"):
        return None
    return count_in_status(Status.REQUESTED, cap=BADGE_CAP)


def search_returns(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Returns by RMA code, drop-off code or carrier tracking code (exact)."""
    text = query.strip()
    # Codes carry a digit, except a drop-off short code, which may be 8 letters of its alphabet by chance.
    dropoff_like = len(text) == 8 and text.isalnum() and text.isascii()
    has_digit = any(ch.isdigit() for ch in text)
    if " " in text or len(text) < 4 or not (has_digit or dropoff_like) or text.upper().startswith("ORD-"):
        return []
    found = list(return_queue(q=text)[:limit])
    return [
        SearchHit(
            kind=_("Return"),
            title=rma.code,
            subtitle=f"{rma.customer.full_name} · {rma.get_status_display()}",
            url=reverse("returns:detail", args=[rma.code]),
            icon="undo-2",
            score=1.0 if rma.code == text.upper() else 0.95,
        )
        for rma in found
    ]


def _new_return(label: str, **params: str) -> SearchHit:
    url = reverse("returns:create") + (f"?{urlencode(params)}" if params else "")
    return SearchHit(kind=_("Action"), title=label, url=url, icon="plus", score=0.5)


def return_actions(query: str, user: Any, limit: int) -> list[SearchHit]:
    """'New return', 'new return for <order code>' and 'new return for <customer name>'."""
    text = query.strip()
    if text.upper().startswith("ORD-") and " " not in text:
        code = text.upper()[:24]
        return [_new_return(gettext("New return for order %(code)s") % {"code": code}, order=code)]
    folded = search_key(text)
    for prefix in ACTION_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix) + 1:
            rest = text.split(maxsplit=len(prefix.split()))[-1]
            if rest.upper().startswith("ORD-"):
                return return_actions(rest, user, limit)
            if searches_by_contact(rest) and not can_look_up_by_contact(user):
                return []
            return [
                _new_return(gettext("New return for %(name)s") % {"name": customer.full_name}, customer=customer.code)
                for customer in customer_search(rest, limit=min(limit, 5))
            ]
    if words_match(text, gettext("New return")) or words_match(text, "new return"):
        return [_new_return(gettext("New return"))]
    return []


register_nav(
    NavEntry(
        key="returns.queue",
        area="aftersales",
        label=_("Returns"),
        url_name="returns:queue",
        icon="undo-2",
        permission="returns.view_returnrequest",
        order=10,
        count=_to_approve,
    ),
    NavEntry(
        key="returns.receiving",
        area="aftersales",
        label=_("Receiving"),
        url_name="returns:receiving",
        icon="scan-barcode",
        permission="returns.receive_returnrequest",
        order=20,
    ),
    NavEntry(
        key="returns.metrics",
        area="reports",
        label=_("Return metrics"),
        url_name="returns:metrics",
        icon="chart-column",
        permission="returns.view_returnrequest",
        order=10,
    ),
)
register_search(
    SearchProvider(
        key="returns", label=_("Returns"), search=search_returns, permission="returns.view_returnrequest", order=30
    ),
    SearchProvider(
        key="returns.actions",
        label=_("Actions"),
        search=return_actions,
        permission="returns.add_returnrequest",
        order=800,
    ),
)
