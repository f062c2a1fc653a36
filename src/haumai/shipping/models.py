"""Shipments and carrier adapters (GHN, GHTK, Viettel Post, J&T, Ninja Van, own fleet, drop-off)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haumai.core import clock
from haumai.shipping.statuses import ShipmentStatus


class CarrierKind(models.TextChoices):
    API = "api", _("Carrier API")
    OWN_FLEET = "own_fleet", _("Own staff pickup")
    DROPOFF = "dropoff", _("Drop-off at store")


class Carrier(models.Model):
    """A way to move a parcel: a carrier with an API, our own staff, or the customer dropping it off."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(max_length=20, choices=CarrierKind.choices, default=CarrierKind.API)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    FORWARD = "forward", _("Forward (to the customer)")
    REVERSE = "reverse", _("Reverse (from the customer)")


class Shipment(models.Model):
    """One parcel moved by one carrier; `reference` ties it to a business document (e.g. an RMA code)."""

    code = models.CharField(max_length=20, unique=True)
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="shipments")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED)
    raw_status = models.CharField(max_length=80, blank=True, help_text="the carrier's last status code")
    tracking_code = models.CharField(max_length=60, blank=True, help_text="the carrier's order code")
    label_url = models.URLField(max_length=500, blank=True)
    label_text = models.CharField(max_length=120, blank=True, help_text="short code printed on the parcel")
    fee = models.BigIntegerField(null=True, blank=True, help_text="carrier fee in VND, when quoted")
    reference = models.CharField(max_length=40, help_text="business document code, e.g. RMA-2026-000123")
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    sender = models.JSONField(default=dict)
    recipient = models.JSONField(default=dict)
    parcel = models.JSONField(default=dict)
    cod_amount = models.BigIntegerField(default=0)
    pickup_from = models.DateTimeField(null=True, blank=True)
    pickup_until = models.DateTimeField(null=True, blank=True)
    booking_attempts = models.PositiveSmallIntegerField(default=0)
    booking_error = models.TextField(blank=True)
    booking_failed_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    last_tracking_at = models.DateTimeField(null=True, blank=True)
    delayed_at = models.DateTimeField(null=True, blank=True, help_text="when stuck detection flagged it")
    # The delivery date promised to the customer (order push or carrier); late detection watches it.
    promised_at = models.DateTimeField(null=True, blank=True)
    late_due_at = models.DateTimeField(null=True, blank=True, help_text="when to check lateness (cleared once done)")
    late_at = models.DateTimeField(null=True, blank=True, help_text="when it was found later than promised")
    # Next thing the worker must do: book (status created) or check for a stuck parcel (active states).
    due_at = models.DateTimeField(null=True, blank=True)
    # A re-delivery (giao bù) of a failed or returned delivery points at the delivery it replaces.
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redeliveries"
    )
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)  # the product clock: carriers' report times are judged by it
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One carrier order code is one parcel: a delivery registered by code cannot be claimed twice.
            models.UniqueConstraint(
                fields=["carrier", "tracking_code"],
                condition=~models.Q(tracking_code=""),
                name="shipment_tracking_code_once",
            ),
        ]
        indexes = [
            models.Index(fields=["reference"], name="shipment_reference"),
            models.Index(fields=["carrier", "tracking_code"], name="shipment_carrier_tracking"),
            # The console search finds a shipment by the carrier's code without knowing the carrier.
            models.Index(fields=["tracking_code"], name="shipment_tracking"),
            models.Index(fields=["-created_at", "-id"], name="shipment_created"),
            models.Index(fields=["status", "-created_at"], name="shipment_status_created"),
            models.Index(fields=["due_at"], name="shipment_due", condition=models.Q(due_at__isnull=False)),
            models.Index(
                fields=["late_due_at"], name="shipment_late_due", condition=models.Q(late_due_at__isnull=False)
            ),
            models.Index(
                fields=["-booking_failed_at"],
                name="shipment_booking_failed",
                condition=models.Q(booking_failed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_awaiting_booking(self) -> bool:
        return self.status == ShipmentStatus.CREATED and not self.tracking_code


class TrackingEvent(models.Model):
    """One status report from a carrier (or staff), kept raw; `dedupe_key` makes replays harmless."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    raw_code = models.CharField(max_length=80)
    raw_payload = models.JSONField(default=dict)
    description = models.CharField(max_length=255, blank=True)
    mapped_status = models.CharField(max_length=20, choices=ShipmentStatus.choices, blank=True)
    applied = models.BooleanField(default=False, help_text="False when out of order or informational")
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    source = models.CharField(max_length=20, default="webhook", help_text="webhook, staff or booking")
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        indexes = [models.Index(fields=["shipment", "occurred_at", "id"], name="tracking_shipment_time")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.raw_code}"
