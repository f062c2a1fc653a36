"""Exchange for another product: what a return policy lets the customer choose instead, and the check.

The policy of each returned item says whether another product may be chosen (off, same category, any
category). The replacement is never dearer than any returned item (a price difference is not charged in
this version; a cheaper replacement's difference goes back as store credit when the exchange is resolved),
is not the returned product itself, is active, and is in stock (grade new) in the warehouse the
replacement leaves from. Stock is not reserved: the resolution takes it, and flags the return if it ran out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core.errors import FieldError, ValidationFailed
from haumai.inventory.models import Grade, StockLevel, Warehouse
from haumai.returns import conf, policy
from haumai.returns.models import OtherItemExchange

MAX_CHOICES = 50


@dataclass(frozen=True)
class Returned:
    """One returned item as far as the exchange cares: the product, what was paid for it, where it was sold."""

    product: Product
    unit_price: int
    channel_id: int | None


def default_warehouse() -> Warehouse | None:
    """The warehouse returns (and replacements) go through when none is chosen."""
    wanted = conf.default_warehouse_code()
    if wanted:
        return Warehouse.objects.filter(code=wanted).first()
    return Warehouse.objects.filter(store__isnull=True).order_by("pk").first() or Warehouse.objects.order_by(
        "pk"
    ).first()


def _candidates(returned: Sequence[Returned]) -> QuerySet[Product] | None:
    """Products allowed by every returned item's policy, or None when one of them does not offer it."""
    if not returned:
        return None
    products = Product.objects.filter(is_active=True, price__lte=min(item.unit_price for item in returned))
    for item in returned:
        found = policy.policy_for(product=item.product, channel_id=item.channel_id)
        rule = found.exchange_for_other if found is not None else OtherItemExchange.OFF
        if rule == OtherItemExchange.OFF:
            return None
        if rule == OtherItemExchange.SAME_CATEGORY:
            if item.product.category_id is None:
                return None
            products = products.filter(category_id=item.product.category_id)
    return products.exclude(pk__in={item.product.pk for item in returned})


def _in_stock(products: QuerySet[Product], warehouse: Warehouse | None, quantity: int) -> QuerySet[Product]:
    if warehouse is None:
        return products.none()
    stocked = StockLevel.objects.filter(warehouse=warehouse, grade=Grade.NEW, quantity__gte=quantity)
    return products.filter(pk__in=stocked.values("product_id"))


def replacement_choices(
    returned: Sequence[Returned], *, warehouse: Warehouse | None, quantity: int = 1
) -> list[Product]:
    """The in-stock products the customer may choose instead of these items, by name (at most 50)."""
    products = _candidates(returned)
    if products is None:
        return []
    return list(_in_stock(products, warehouse, quantity).order_by("name", "pk")[:MAX_CHOICES])


def check_replacement(
    *, sku: str, returned: Sequence[Returned], warehouse: Warehouse | None, quantity: int
) -> Product:
    """The chosen replacement, or ValidationFailed (field exchange_sku) saying why it cannot be chosen."""

    def refuse(message: str, code: str) -> ValidationFailed:
        return ValidationFailed(message, [FieldError("exchange_sku", message, code)])

    products = _candidates(returned)
    if products is None:
        raise refuse(_("The return policy does not offer another product for these items"), "exchange_not_offered")
    chosen = Product.objects.filter(sku=sku.strip()).first()
    if chosen is None or not products.filter(pk=chosen.pk).exists():
        name = chosen.name if chosen is not None else sku.strip()
        raise refuse(
            _("%(name)s cannot be chosen for this exchange (another category, a higher price or not for sale)")
            % {"name": name or "?"},
            "exchange_not_eligible",
        )
    if not _in_stock(products.filter(pk=chosen.pk), warehouse, quantity).exists():
        raise refuse(_("%(name)s is out of stock: choose another product") % {"name": chosen.name}, "out_of_stock")
    return chosen
