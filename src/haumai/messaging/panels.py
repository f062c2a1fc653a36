"""The customer 360's messages panel: the last messages sent (or tried) to the customer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of
from haumai.messaging.models import Delivery

ROWS = 5


def messages(request: HttpRequest, customer: Any) -> dict[str, Any]:
    rows = (
        Delivery.objects.filter(customer=customer)
        .select_related("template_version__template")
        .order_by("-created_at", "-id")
    )
    shown, more = page_of(rows, 1, ROWS)
    return {
        "deliveries": shown,
        "more": more,
        "all_url": f"{reverse('messaging:deliveries')}?customer={customer.code}",
    }


register_panel(
    CustomerPanel(
        key="messages", title=_("Messages"), template="messaging/panels/messages.html", context=messages,
        permission="messaging.view_delivery", column="main", order=50,
    )
)  # fmt: skip
