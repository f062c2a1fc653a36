"""The customer 360's returns panel: the customer's returns (code, state, items), newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of
from haumai.returns.models import ReturnLine, ReturnRequest

RETURNS_SHOWN = 5


def returns(request: HttpRequest, customer: Any) -> dict[str, Any]:
    rows = (
        ReturnRequest.objects.filter(customer=customer)
        .select_related("order")
        .prefetch_related(Prefetch("lines", queryset=ReturnLine.objects.select_related("product").order_by("id")))
        .order_by("-requested_at", "-id")
    )
    shown, more = page_of(rows, 1, RETURNS_SHOWN)
    return {
        "returns": shown,
        "more": more,
        "all_url": f"{reverse('returns:queue')}?q={customer.code}",
    }


register_panel(
    CustomerPanel(
        key="returns", title=_("Returns and exchanges"), template="returns/panels/returns.html", context=returns,
        permission="returns.view_returnrequest", column="main", order=20,
    )
)  # fmt: skip
