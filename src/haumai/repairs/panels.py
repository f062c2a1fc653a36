"""Customer 360: the customer's repairs with their state."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.repairs import selectors

PANEL_LIMIT = 10


def repair_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """The customer's newest repairs (at most 10) in one query."""
    rows = selectors.customer_repairs(customer, limit=PANEL_LIMIT + 1)
    return {"repair_rows": rows[:PANEL_LIMIT], "repair_more": len(rows) > PANEL_LIMIT}


register_panel(
    CustomerPanel(
        key="repairs",
        title=_("Repairs"),
        template="repairs/_customer_panel.html",
        context=repair_panel_context,
        permission="repairs.view_repairorder",
        column="main",
        order=45,
    )
)

# Service centres, appointments, visits and maintenance register from their own subpackage.
from haumai.repairs.booking import panels as _booking  # noqa: E402, F401
