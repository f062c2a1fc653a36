"""Customer 360: the customer's personal-data requests (consents with their evidence: the customers panel)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.privacy import restrictions, selectors
from haumai.privacy.models import RestrictionPurpose

PANEL_LIMIT = 10


def privacy_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """The newest requests (at most 10) and the restriction in force, in two queries."""
    rows = selectors.requests_for_customer(customer, limit=PANEL_LIMIT + 1)
    return {
        "privacy_requests": rows[:PANEL_LIMIT],
        "privacy_more": len(rows) > PANEL_LIMIT,
        "privacy_customer": customer,
        "can_add": request.user.has_perm("privacy.add_datarequest"),
        "restriction": restrictions.current_restriction(customer),
        "restriction_purposes": RestrictionPurpose.choices,
        "can_restrict": request.user.has_perm(restrictions.PERMISSION),
    }


register_panel(
    CustomerPanel(
        key="privacy",
        title=_("Personal data"),
        template="privacy/_customer_panel.html",
        context=privacy_panel_context,
        permission="privacy.view_datarequest",
        column="side",
        order=90,
    )
)
