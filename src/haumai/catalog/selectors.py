"""Reads about the catalog."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haumai.catalog.models import Product, Unit
from haumai.core.errors import NotFound
from haumai.core.text import search_key


def product_list(
    *, q: str = "", brand: str = "", category: str = "", is_active: bool | None = None
) -> QuerySet[Product]:
    """Products by SKU; q matches the SKU prefix or the name without diacritics."""
    products = Product.objects.select_related("category")
    text = (q or "").strip()
    if text:
        key = search_key(text)
        products = products.filter(
            Q(sku__istartswith=text) | Q(search_key__startswith=key) | Q(search_key__contains=" " + key)
        )
    if brand:
        products = products.filter(brand__iexact=brand.strip())
    if category:
        products = products.filter(category__code=category.strip())
    if is_active is not None:
        products = products.filter(is_active=is_active)
    return products.order_by("sku")


def product_by_sku(sku: str) -> Product:
    """One product by SKU, or NotFound."""
    product = Product.objects.select_related("category").filter(sku=sku.strip()).first()
    if product is None:
        raise NotFound(_("No product with SKU %(sku)s") % {"sku": sku})
    return product


def products_by_sku(skus: set[str]) -> dict[str, Product]:
    """Products for many SKUs in one query."""
    return {p.sku: p for p in Product.objects.filter(sku__in=skus)}


def unit_by_serial(serial: str) -> Unit:
    """One unit by serial (or IMEI), or NotFound."""
    text = serial.strip()
    unit = Unit.objects.select_related("product").filter(Q(serial=text) | Q(imei=text)).first()
    if unit is None:
        raise NotFound(_("No unit with serial or IMEI %(serial)s") % {"serial": serial})
    return unit


def units_for_product(product: Product, *, status: str = "") -> QuerySet[Unit]:
    """A product's units, newest first."""
    units = Unit.objects.filter(product=product).select_related("product")
    if status:
        units = units.filter(status=status)
    return units.order_by("-created_at", "-id")
