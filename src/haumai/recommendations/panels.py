"""Customer 360: what to offer this customer now (learned follow-ups of what they kept, then best sellers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.recommendations import selectors


def offer_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """Up to five suggestions with the reason for each."""
    return {"offer_rows": selectors.for_customer(customer, limit=5)}


register_panel(
    CustomerPanel(
        key="recommendations",
        title=_("What to offer now"),
        template="recommendations/_customer_panel.html",
        context=offer_panel_context,
        permission="recommendations.view_association",
        column="side",
        order=25,
    )
)
