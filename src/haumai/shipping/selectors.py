"""Reads of shipping."""

from __future__ import annotations

from django.db.models import Max, Prefetch, Q, QuerySet

from haumai.core.errors import NotFound
from haumai.shipping.models import Carrier, CarrierKind, Shipment, TrackingEvent


def shipments_for_reference(reference: str) -> list[Shipment]:
    """Every shipment of a business document (e.g. an RMA code), oldest first."""
    return list(
        Shipment.objects.select_related("carrier").filter(reference=reference.strip()).order_by("created_at", "id")
    )


def shipment_by_code_or_tracking(text: str) -> Shipment | None:
    """Find a shipment by our code (SHP-...) or the carrier's tracking code; None when nothing matches."""
    text = text.strip()
    if not text or len(text) > 60:
        return None
    rows = Shipment.objects.select_related("carrier", "customer")
    return rows.filter(code=text.upper()).first() or rows.filter(tracking_code=text).order_by("-id").first()


def shipment_list(
    *, status: str = "", carrier: str = "", reference: str = "", booking_failed: bool = False
) -> QuerySet[Shipment]:
    """Shipments newest first, filtered (each filter has an index)."""
    rows = Shipment.objects.select_related("carrier", "customer")
    if status:
        rows = rows.filter(status=status)
    if carrier:
        rows = rows.filter(carrier__code=carrier)
    if reference:
        rows = rows.filter(Q(reference=reference.strip()) | Q(code=reference.strip().upper()))
    if booking_failed:
        return rows.filter(booking_failed_at__isnull=False, tracking_code="").order_by("-booking_failed_at", "-id")
    return rows.order_by("-created_at", "-id")


def shipment_detail(code: str) -> Shipment:
    """One shipment with its tracking timeline (oldest first); NotFound otherwise."""
    timeline = Prefetch("tracking_events", queryset=TrackingEvent.objects.order_by("occurred_at", "id"))
    shipment = (
        Shipment.objects.select_related("carrier", "customer", "created_by", "redelivery_of")
        .prefetch_related(timeline)
        .filter(code=code.strip().upper())
        .first()
    )
    if shipment is None:
        raise NotFound(f"No shipment {code}")
    return shipment


def carriers() -> list[Carrier]:
    """All carriers, by name."""
    return list(Carrier.objects.order_by("name"))


def failed_booking_count() -> int:
    """How many shipments wait for staff because booking gave up."""
    return Shipment.objects.filter(booking_failed_at__isnull=False, tracking_code="").count()


def shipment_state(code: str) -> Shipment:
    """One shipment without its timeline, with `last_event_id` (the live state of its page); NotFound otherwise."""
    shipment = (
        Shipment.objects.annotate(last_event_id=Max("tracking_events__id"))
        .filter(code=code.strip().upper())
        .first()
    )
    if shipment is None:
        raise NotFound(f"No shipment {code}")
    return shipment


def deliveries_of_order(order_code: str) -> list[Shipment]:
    """An order's forward shipments with their carrier events (applied ones, newest first): two queries."""
    events = TrackingEvent.objects.filter(applied=True).order_by("-occurred_at", "-id")
    return list(
        Shipment.objects.select_related("carrier")
        .filter(reference=order_code.strip(), direction="forward")
        .prefetch_related(Prefetch("tracking_events", queryset=events, to_attr="applied_events"))
        .order_by("created_at", "id")
    )


def outbound_carriers() -> dict[str, bool]:
    """Carriers a delivery can be registered with (API carriers), code -> switched on."""
    return dict(Carrier.objects.filter(kind=CarrierKind.API).values_list("code", "is_active"))


def tracking_code_uses(tracking_codes: set[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(carrier code, tracking code) -> (direction, reference) of the shipments that already use these codes."""
    uses: dict[tuple[str, str], tuple[str, str]] = {}
    codes = sorted(tracking_codes)
    for start in range(0, len(codes), 2000):
        rows = Shipment.objects.filter(tracking_code__in=codes[start : start + 2000]).values_list(
            "carrier__code", "tracking_code", "direction", "reference"
        )
        for carrier_code, tracking_code, direction, reference in rows:
            uses[(carrier_code, tracking_code)] = (direction, reference)
    return uses
