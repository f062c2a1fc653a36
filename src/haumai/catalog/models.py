"""Categories, products with warranty and return terms, and serialised units (serial/IMEI)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WarrantyStart(models.TextChoices):
    PURCHASE = "purchase", _("Purchase date")
    DELIVERY = "delivery", _("Delivery date")
    ACTIVATION = "activation", _("Activation date")


class WarrantyProvider(models.TextChoices):
    BRAND = "brand", _("Brand (authorised service centre)")
    RETAILER = "retailer", _("Retailer")


class Product(models.Model):
    """A sellable item (SKU) with its default warranty and return terms."""

    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    search_key = models.CharField(max_length=200)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products")
    price = models.BigIntegerField(_("price (VND)"), default=0)
    is_serialized = models.BooleanField(default=False, help_text="Each unit has a serial/IMEI")
    warranty_months = models.PositiveIntegerField(default=0)
    warranty_start = models.CharField(max_length=20, choices=WarrantyStart.choices, default=WarrantyStart.PURCHASE)
    warranty_provider = models.CharField(
        max_length=20, choices=WarrantyProvider.choices, default=WarrantyProvider.RETAILER
    )
    return_days = models.PositiveIntegerField(default=7)
    # The boxed item as a carrier weighs and measures it (0 = not known yet: parcels fall back to a default).
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    length_cm = models.PositiveSmallIntegerField(_("length (cm)"), default=0)
    width_cm = models.PositiveSmallIntegerField(_("width (cm)"), default=0)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), default=0)
    is_returnable = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["search_key"], name="product_search_key")]
        constraints = [models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class UnitStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    SOLD = "sold", _("Sold")
    RETURNED = "returned", _("Returned")
    IN_REPAIR = "in_repair", _("In repair")
    SCRAPPED = "scrapped", _("Scrapped")


class Unit(models.Model):
    """One physical item identified by serial number (and IMEI for phones)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="units")
    serial = models.CharField(max_length=64, unique=True)
    imei = models.CharField(max_length=20, null=True, blank=True, unique=True)
    status = models.CharField(max_length=20, choices=UnitStatus.choices, default=UnitStatus.IN_STOCK)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.serial
