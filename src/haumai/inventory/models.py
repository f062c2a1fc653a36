"""Warehouses, the immutable stock-move ledger and stock levels per SKU x warehouse x grade."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    store = models.OneToOneField(
        "sales.Store", null=True, blank=True, on_delete=models.PROTECT, related_name="warehouse"
    )
    province = models.ForeignKey(
        "customers.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where carriers bring parcels (returns); a warehouse inside a store may use the store's address.
    street = models.CharField(_("street address"), max_length=255, blank=True)
    ward = models.ForeignKey("customers.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    NEW = "new", _("New")
    A = "A", _("A — resell as new")
    B = "B", _("B — open box")
    C = "C", _("C — refurbish")
    D = "D", _("D — scrap / vendor return")


class MoveReason(models.TextChoices):
    RECEIPT = "receipt", _("Goods receipt")
    SALE = "sale", _("Sale")
    RETURN_RESTOCK = "return_restock", _("Restock from return")
    ADJUSTMENT = "adjustment", _("Stock count adjustment")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    SCRAP = "scrap", _("Scrap")
    REPAIR_PART = "repair_part", _("Part used in a repair")


class ImmutableRecord(Exception):
    """Stock moves are a ledger: they are never changed or deleted."""


class StockMove(models.Model):
    """One signed change of stock. Never updated or deleted; corrections are new moves."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="moves")
    grade = models.CharField(max_length=4, choices=Grade.choices, default=Grade.NEW)
    quantity = models.IntegerField()
    reason = models.CharField(max_length=20, choices=MoveReason.choices)
    reference = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stockmove_quantity_not_zero"),
            # A return restocks a serialised unit once (inventory.services checks first; this is the backstop).
            models.UniqueConstraint(
                fields=["reference", "unit"],
                condition=models.Q(reason="return_restock", unit__isnull=False),
                name="stockmove_restock_unit_once",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "warehouse", "grade", "created_at"], name="stockmove_level"),
            models.Index(fields=["reference", "reason"], name="stockmove_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity:+d} {self.product_id}@{self.warehouse_id}/{self.grade}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecord("stock moves cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("stock moves cannot be deleted")


class StockLevel(models.Model):
    """On-hand quantity per SKU x warehouse x grade; changed only by inventory.services.move_stock."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="levels")
    grade = models.CharField(max_length=4, choices=Grade.choices, default=Grade.NEW)
    quantity = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse", "grade"], name="stocklevel_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stocklevel_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}/{self.grade}={self.quantity}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """Stock sent from one warehouse to another: out of the source when shipped, into the destination when received."""

    code = models.CharField(max_length=24, unique=True)
    source = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED)
    note = models.CharField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("destination")), name="transfer_two_places"),
        ]
        indexes = [models.Index(fields=["status", "-requested_at"], name="transfer_status")]

    def __str__(self) -> str:
        return self.code


class TransferLine(models.Model):
    """One SKU x grade (or one serialised unit) of a transfer."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=4, choices=Grade.choices, default=Grade.NEW)
    quantity = models.PositiveIntegerField()
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="transferline_positive")]
        indexes = [models.Index(fields=["unit"], name="transferline_unit")]

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.product_id}/{self.grade} x{self.quantity}"


class ChannelAllocation(models.Model):
    """Which stock a sales channel may sell: grades (and a warehouse) it draws from, a share and a buffer."""

    channel = models.ForeignKey("sales.Channel", on_delete=models.CASCADE, related_name="allocations")
    warehouse = models.ForeignKey(
        Warehouse, null=True, blank=True, on_delete=models.CASCADE, related_name="allocations",
        help_text="empty = every warehouse",
    )  # fmt: skip
    grades = models.CharField(
        _("grades"), max_length=40, default="new,A", help_text="comma-separated grades this channel sells, e.g. new,A"
    )
    share_percent = models.PositiveSmallIntegerField(_("share (%)"), default=100)
    buffer = models.PositiveIntegerField(_("buffer (units held back)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(share_percent__lte=100), name="allocation_share_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.grades} {self.share_percent}% -{self.buffer}"

    def grade_list(self) -> list[str]:
        """The grades as a list."""
        return [g.strip() for g in self.grades.split(",") if g.strip()]


class ChannelStock(models.Model):
    """The available-to-sell quantity last published for one SKU on one channel (derived; see availability)."""

    channel = models.ForeignKey("sales.Channel", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    available = models.IntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "product"], name="channelstock_unique")]
        indexes = [models.Index(fields=["product"], name="channelstock_product")]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.channel_id}={self.available}"
