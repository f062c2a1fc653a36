"""Role-aware navigation of the console."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def nav_items(request: Any) -> list[NavItem]:
    """Menu entries the user may open (each view checks the same permission again)."""
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    entries: list[tuple[str, str, bool]] = [
        (_("Home"), reverse("console:home"), True),
        (_("Customers"), reverse("customers:list"), user.has_perm("customers.view_customer")),
        (_("Returns"), reverse("returns:queue"), user.has_perm("returns.view_returnrequest")),
        (_("Receiving"), reverse("returns:receiving"), user.has_perm("returns.receive_returnrequest")),
        (_("Shipments"), reverse("shipping:list"), user.has_perm("shipping.view_shipment")),
        (_("Refunds"), reverse("payments:list"), user.has_perm("payments.view_refund")),
        (_("Journeys"), reverse("journeys:list"), user.has_perm("journeys.view_journey")),
        (_("Care tasks"), reverse("journeys:tasks"), user.has_perm("journeys.view_caretask")),
        (_("Messages"), reverse("messaging:home"), user.has_perm("messaging.view_template")),
        (_("Admin"), reverse("admin:index"), user.is_staff),
    ]
    return [
        NavItem(label=label, url=url, active=path == url or (url != "/console/" and path.startswith(url)))
        for label, url, allowed in entries
        if allowed
    ]


def navigation(request: Any) -> dict[str, Any]:
    """Template context processor."""
    return {"nav_items": nav_items(request)}
