"""Refunds in the console: the refunds and needs-attention pages and search by refund code."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.core.text import search_key
from haumai.payments.selectors import attention_count, refund_list


def search_refunds(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A refund by its code (RF-2026-000123), exact."""
    text = query.strip()
    if not search_key(text).startswith("rf-") or " " in text:
        return []
    return [
        SearchHit(
            kind=_("Refund"),
            title=refund.code,
            subtitle=f"{refund.customer.full_name} · {refund.get_status_display()}" if refund.customer else "",
            url=reverse("payments:detail", args=[refund.code]),
            icon="receipt",
            score=1.0,
        )
        for refund in refund_list(q=text)[:limit]
        if refund.code == text.upper()
    ]


register_nav(
    NavEntry(
        key="payments.list",
        area="aftersales",
        label=_("Refunds"),
        url_name="payments:list",
        icon="receipt",
        permission="payments.view_refund",
        order=40,
    ),
    NavEntry(
        key="payments.attention",
        area="aftersales",
        label=_("Refunds needing attention"),
        url_name="payments:attention",
        icon="triangle-alert",
        permission="payments.view_refund",
        order=41,
        count=lambda user: attention_count(),
    ),
)
register_search(
    SearchProvider(
        key="payments", label=_("Refunds"), search=search_refunds, permission="payments.view_refund", order=50
    )
)
