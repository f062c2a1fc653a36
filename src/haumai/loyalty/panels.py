"""Customer 360: points, tier, vouchers, cashback, the recent ledger, and the adjustment and goodwill forms."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of, panel_page
from haumai.loyalty import selectors

ROWS = 8
VOUCHERS = 10
CASHBACKS = 5


def loyalty_panel_context(request: HttpRequest, customer: Any) -> dict[str, Any]:
    """The member's standing, one page of the ledger, the newest vouchers; a fixed number of queries."""
    page = panel_page(request, "loyalty")
    entries, more = page_of(selectors.history(customer.pk), page, ROWS)
    owned = list(selectors.customer_vouchers(customer.pk)[:VOUCHERS])
    user = request.user
    return {
        "standing": selectors.standing(customer),
        "loyalty_entries": entries,
        "loyalty_page": page,
        "loyalty_more": more,
        "loyalty_vouchers": [(voucher, selectors.usable(voucher)) for voucher in owned],
        "loyalty_campaigns": list(selectors.open_campaigns().filter(code_kind="unique")[:50])
        if user.has_perm("loyalty.add_voucher")
        else [],
        "loyalty_customer": customer,
        "cashback": selectors.cashback_summary(customer.pk),
        "cashback_rows": list(selectors.customer_cashbacks(customer.pk)[:CASHBACKS]),
    }


register_panel(
    CustomerPanel(
        key="loyalty",
        title=_("Points and vouchers"),
        template="loyalty/_customer_panel.html",
        context=loyalty_panel_context,
        permission="loyalty.view_pointsentry",
        column="main",
        order=35,
    )
)
