"""Customer 360: the customer's RFM scores and the saved segments they are in."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.segments import selectors


def segment_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """RFM and segments in two queries."""
    return {"segment_rfm": selectors.customer_rfm(customer), "segment_rows": selectors.customer_segments(customer)}


register_panel(
    CustomerPanel(
        key="segments",
        title=_("Segments and RFM"),
        template="segments/_customer_panel.html",
        context=segment_panel_context,
        permission="segments.view_segment",
        column="side",
        order=20,
    )
)
