"""Sales channels, stores, orders and order lines (linked to serialised units)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    STORE = "store", _("Store")
    WEBSITE = "website", _("Website")
    MARKETPLACE = "marketplace", _("Marketplace")
    SOCIAL = "social", _("Social commerce")
    PHONE = "phone", _("Phone order")


class Channel(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(max_length=255, blank=True)
    province = models.ForeignKey("customers.Province", on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey("customers.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """A purchase. Pushed by POS/e-commerce, idempotent by (channel, external_id)."""

    code = models.CharField(max_length=24, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField(max_length=80, null=True, blank=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="orders")
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    placed_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    total = models.BigIntegerField(_("total (VND)"), default=0)
    payment_method = models.CharField(max_length=30, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="Fingerprint of the pushed content")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="order_channel_external_unique"),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="order_customer_placed"),
            models.Index(fields=["-placed_at", "-id"], name="order_placed"),
            models.Index(fields=["status", "-placed_at"], name="order_status_placed"),
        ]

    def __str__(self) -> str:
        return self.code


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.BigIntegerField()
    line_total = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="orderline_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} x{self.quantity} {self.product_id}"
