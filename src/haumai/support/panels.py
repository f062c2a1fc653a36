"""Customer 360: the customer's tickets (open first) and recent calls."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.support import selectors
from haumai.support.models import CallLog

PANEL_LIMIT = 10


def tickets_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """Up to 10 tickets and 5 calls, in two queries."""
    rows = selectors.customer_tickets(customer, limit=PANEL_LIMIT + 1)
    calls = list(CallLog.objects.filter(customer=customer).order_by("-started_at")[:5])
    return {"support_tickets": rows[:PANEL_LIMIT], "support_more": len(rows) > PANEL_LIMIT, "support_calls": calls}


register_panel(
    CustomerPanel(
        key="tickets",
        title=_("Tickets"),
        template="support/_customer_panel.html",
        context=tickets_panel_context,
        permission="support.view_ticket",
        column="main",
        order=15,
    )
)
