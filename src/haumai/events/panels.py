"""The customer 360's timeline panel: what happened to the customer, as sentences, newest first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haumai.console.timeline import build_timeline, readable
from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of, panel_page
from haumai.events.selectors import events_for_customer

EVENTS_SHOWN = 20


def timeline(request: HttpRequest, customer: Any) -> dict[str, Any]:
    page = panel_page(request, "events")
    events, more = page_of(readable(events_for_customer(customer.pk)), page, EVENTS_SHOWN)
    return {
        "timeline_days": build_timeline(events, user=request.user, customer=customer),
        "page": page,
        "has_next": more,
    }


register_panel(
    CustomerPanel(
        key="timeline", title=_("Timeline"), template="events/panels/timeline.html", context=timeline,
        permission="events.view_event", column="main", order=900,
    )
)  # fmt: skip
