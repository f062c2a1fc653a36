"""Customer 360: upcoming appointments and visits, and maintenance due."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.repairs.booking import selectors

PANEL_LIMIT = 10


def booking_panel_context(request: Any, customer: Any) -> dict[str, Any]:
    """Upcoming appointments, scheduled visits and active maintenance schedules (10 each, 3 queries)."""
    return {
        "booking_appointments": selectors.upcoming_for_customer(customer, limit=PANEL_LIMIT),
        "booking_visits": selectors.upcoming_visits_for_customer(customer, limit=PANEL_LIMIT),
        "booking_schedules": selectors.schedules_for_customer(customer, limit=PANEL_LIMIT),
        "booking_customer": customer,
    }


register_panel(
    CustomerPanel(
        key="appointments", title=_("Appointments and maintenance"), template="repairs/booking/_customer_panel.html",
        context=booking_panel_context, permission="repairs.view_appointment", column="side", order=45,
    )
)  # fmt: skip
