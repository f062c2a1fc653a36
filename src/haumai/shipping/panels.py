"""The customer 360's shipments panel: deliveries to and pickups from the customer, newest first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of, panel_page
from haumai.shipping.models import Shipment

ROWS = 5


def shipments(request: HttpRequest, customer: Any) -> dict[str, Any]:
    page = panel_page(request, "shipments")
    rows = Shipment.objects.filter(customer=customer).select_related("carrier").order_by("-created_at", "-id")
    shown, more = page_of(rows, page, ROWS)
    return {"shipments": shown, "page": page, "has_next": more}


register_panel(
    CustomerPanel(
        key="shipments", title=_("Shipments"), template="shipping/panels/shipments.html", context=shipments,
        permission="shipping.view_shipment", column="main", order=40,
    )
)  # fmt: skip
