"""Customer 360: the customer's warranties with their state and end date."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core import clock
from haumai.core.registry import CustomerPanel, register_panel
from haumai.warranty import selectors

PANEL_LIMIT = 20


def warranty_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """The customer's newest warranties (at most 20) and open claims, in a fixed number of queries."""
    today = clock.today()
    rows = selectors.customer_warranties(customer, limit=PANEL_LIMIT + 1)
    return {
        "warranty_rows": [(w, selectors.answer(w, today=today)) for w in rows[:PANEL_LIMIT]],
        "warranty_more": len(rows) > PANEL_LIMIT,
        "warranty_customer": customer,
    }


register_panel(
    CustomerPanel(
        key="warranties",
        title=_("Warranties"),
        template="warranty/_customer_panel.html",
        context=warranty_panel_context,
        permission="warranty.view_warranty",
        column="main",
        order=40,
    )
)
