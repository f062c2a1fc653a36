"""The customer 360's care panel: journeys the customer is in and open care tasks about them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.panels import page_of
from haumai.journeys.models import CareTask, TaskStatus
from haumai.journeys.selectors import runs_for_customer

ROWS = 5


def journeys(request: HttpRequest, customer: Any) -> dict[str, Any]:
    runs, more = page_of(runs_for_customer(customer.pk), 1, ROWS)
    tasks = list(
        CareTask.objects.filter(customer=customer, status=TaskStatus.OPEN).order_by("created_at", "id")[:ROWS]
    )
    return {
        "runs": runs,
        "more": more,
        "tasks": tasks,
        "all_url": reverse("journeys:customer_runs", args=[customer.code]),
    }


register_panel(
    CustomerPanel(
        key="journeys", title=_("Care journeys"), template="journeys/panels/journeys.html", context=journeys,
        permission="journeys.view_journeyrun", column="side", order=40,
    )
)  # fmt: skip
