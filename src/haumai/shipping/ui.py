"""Shipping in the console: the shipments and failed-bookings pages, search by our code or the carrier's."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.shipping.selectors import failed_booking_count, shipment_by_code_or_tracking


def search_shipments(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A shipment by its code (SHP-...) or the carrier's tracking code, exact."""
    text = query.strip()
    if " " in text or len(text) < 6 or not any(ch.isdigit() for ch in text):
        return []
    if text.upper().startswith(("ORD-", "RMA-", "RF-", "CUS-")):
        return []
    shipment = shipment_by_code_or_tracking(text)
    if shipment is None:
        return []
    tracking = f"{shipment.carrier.name} {shipment.tracking_code}".strip()
    return [
        SearchHit(
            kind=_("Shipment"),
            title=shipment.code,
            subtitle=" · ".join(part for part in (tracking, shipment.get_status_display(), shipment.reference) if part),
            url=reverse("shipping:detail", args=[shipment.code]),
            icon="truck",
            score=1.0,
        )
    ]


register_nav(
    NavEntry(
        key="shipping.list",
        area="aftersales",
        label=_("Shipments"),
        url_name="shipping:list",
        icon="truck",
        permission="shipping.view_shipment",
        order=30,
    ),
    NavEntry(
        key="shipping.failed",
        area="aftersales",
        label=_("Failed bookings"),
        url_name="shipping:failed",
        icon="circle-alert",
        permission="shipping.view_shipment",
        order=31,
        count=lambda user: failed_booking_count(),
    ),
)
register_search(
    SearchProvider(
        key="shipping", label=_("Shipments"), search=search_shipments, permission="shipping.view_shipment", order=40
    )
)
