"""Customer 360: the customer's latest survey scores and open follow-ups."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.surveys import selectors

PANEL_LIMIT = 8


def survey_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """The newest responses (score, what it rated, comment) in two queries."""
    rows = selectors.customer_responses(customer, limit=PANEL_LIMIT + 1)
    return {"survey_rows": rows[:PANEL_LIMIT], "survey_more": len(rows) > PANEL_LIMIT, "survey_customer": customer}


register_panel(
    CustomerPanel(
        key="surveys",
        title=_("Survey scores"),
        template="surveys/_customer_panel.html",
        context=survey_panel_context,
        permission="surveys.view_response",
        column="side",
        order=60,
    )
)
