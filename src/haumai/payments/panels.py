"""The customer 360's refunds and store credit panel: recent refunds, the balance and the ledger."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of, panel_page
from haumai.payments.models import Refund
from haumai.payments.selectors import store_credit_balance, store_credit_entries

ROWS = 5


def refunds(request: HttpRequest, customer: Any) -> dict[str, Any]:
    page = panel_page(request, "refunds")
    rows = Refund.objects.filter(customer=customer).select_related("order").order_by("-requested_at", "-id")
    shown, more = page_of(rows, page, ROWS)
    return {
        "refunds": shown,
        "page": page,
        "has_next": more,
        "balance": store_credit_balance(customer.pk),
        "ledger": list(store_credit_entries(customer.pk)[:ROWS]),
    }


register_panel(
    CustomerPanel(
        key="refunds", title=_("Refunds and store credit"), template="payments/panels/refunds.html",
        context=refunds, permission="payments.view_refund", column="main", order=30,
    )
)  # fmt: skip
