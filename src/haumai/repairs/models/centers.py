"""A service centre: where units are received, repaired and collected (the retailer's own counter or
workshop, or the brand's authorised network). Repair orders and appointments both point here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCenterKind(models.TextChoices):
    OWN = "own", _("Our service centre")
    BRAND = "brand", _("Brand's authorised service centre")


class ServiceCenter(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=ServiceCenterKind.choices, default=ServiceCenterKind.OWN)
    address = models.CharField(_("address"), max_length=255, blank=True)
    province = models.CharField(_("province / city"), max_length=80, blank=True)
    # Where a carrier picks up or delivers (2025 ward code): needed to ship a unit to a brand centre.
    ward = models.ForeignKey(
        "customers.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    time_zone = models.CharField(max_length=40, default="Asia/Ho_Chi_Minh")
    capacity_per_hour = models.PositiveSmallIntegerField(_("appointments per hour"), default=2)
    turnaround_target_hours = models.PositiveIntegerField(_("turnaround target (hours)"), default=72)
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where this centre takes spare parts from."),
    )
    # Booking (haumai.repairs.booking): slot length, public holidays, how far ahead customers may book.
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=60)
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays (incl. Tết)"), default=True)
    booking_horizon_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=60)
    min_notice_minutes = models.PositiveSmallIntegerField(_("minimum notice (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "is_active"], name="repairs_center_province")]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity_per_slot(self) -> int:
        """Appointments one slot takes: the hourly capacity scaled to the slot length (at least one)."""
        return max(1, self.capacity_per_hour * self.slot_minutes // 60)
