"""Shipment states and the rule that tracking never moves a shipment backwards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PICKUP_SCHEDULED = "pickup_scheduled", _("Pickup scheduled")
    PICKED_UP = "picked_up", _("Picked up")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Delivery failed")
    RETURNED = "returned", _("Returned to sender")
    CANCELLED = "cancelled", _("Cancelled")
    LOST = "lost", _("Lost")


FINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.CANCELLED, ShipmentStatus.LOST})
# States where the parcel should be moving: silence here is what stuck detection looks for.
ACTIVE = frozenset(
    {
        ShipmentStatus.PICKUP_SCHEDULED,
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.FAILED,
    }
)
# A failed delivery attempt and a new delivery round share a rank: carriers retry delivery.
_RANK = {
    ShipmentStatus.CREATED: 0,
    ShipmentStatus.PICKUP_SCHEDULED: 1,
    ShipmentStatus.PICKED_UP: 2,
    ShipmentStatus.IN_TRANSIT: 3,
    ShipmentStatus.OUT_FOR_DELIVERY: 4,
    ShipmentStatus.FAILED: 4,
    ShipmentStatus.DELIVERED: 9,
    ShipmentStatus.RETURNED: 9,
    ShipmentStatus.CANCELLED: 9,
    ShipmentStatus.LOST: 9,
}


def can_move(current: str, new: str) -> bool:
    """True when `new` is a step forward from `current` (final states never change)."""
    if current == new or current in FINAL:
        return False
    return _RANK[ShipmentStatus(new)] >= _RANK[ShipmentStatus(current)]


def is_final(status: str) -> bool:
    """True for delivered, returned, cancelled and lost."""
    return status in FINAL


def same_rank(current: str, new: str) -> bool:
    """True when two different statuses are equally far along (a failed attempt and a new delivery round):
    only the newer report of the two may then move the shipment."""
    return current != new and _RANK[ShipmentStatus(new)] == _RANK[ShipmentStatus(current)]

# What a forward shipment's state means to the customer waiting for it (the portal's order page).
FOR_THE_CUSTOMER = {
    ShipmentStatus.CREATED: _("The shop is preparing your parcel"),
    ShipmentStatus.PICKUP_SCHEDULED: _("Your parcel is packed and waiting for the carrier"),
    ShipmentStatus.PICKED_UP: _("The carrier has picked up your parcel"),
    ShipmentStatus.IN_TRANSIT: _("Your parcel is on its way"),
    ShipmentStatus.OUT_FOR_DELIVERY: _("Your parcel is out for delivery today"),
    ShipmentStatus.DELIVERED: _("Your parcel was delivered"),
    ShipmentStatus.FAILED: _("The carrier could not deliver; they will try again or call you"),
    ShipmentStatus.RETURNED: _("The parcel went back to the shop; we will contact you"),
    ShipmentStatus.CANCELLED: _("This delivery was cancelled"),
    ShipmentStatus.LOST: _("The carrier lost the parcel; we will contact you"),
}


def for_the_customer(status: str) -> str:
    """A forward shipment's state as a sentence for the customer."""
    return str(FOR_THE_CUSTOMER.get(status, _("Delivery updated")))  # type: ignore[call-overload]
