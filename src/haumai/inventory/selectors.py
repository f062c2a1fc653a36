"""Reads about stock."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core.errors import NotFound
from haumai.inventory.models import StockLevel, StockMove, Warehouse


def stock_levels(
    *, sku: str = "", warehouse: str = "", grade: str = "", include_zero: bool = False
) -> QuerySet[StockLevel]:
    """Stock levels per SKU x warehouse x grade, by SKU then warehouse."""
    levels = StockLevel.objects.select_related("product", "warehouse")
    if sku:
        levels = levels.filter(product__sku=sku.strip())
    if warehouse:
        levels = levels.filter(warehouse__code=warehouse.strip())
    if grade:
        levels = levels.filter(grade=grade)
    if not include_zero:
        levels = levels.exclude(quantity=0)
    return levels.order_by("product__sku", "warehouse__code", "grade")


def stock_moves(*, sku: str = "", warehouse: str = "", reference: str = "") -> QuerySet[StockMove]:
    """The stock ledger, newest first."""
    moves = StockMove.objects.select_related("product", "warehouse", "unit", "actor")
    if sku:
        moves = moves.filter(product__sku=sku.strip())
    if warehouse:
        moves = moves.filter(warehouse__code=warehouse.strip())
    if reference:
        moves = moves.filter(reference=reference.strip())
    return moves.order_by("-created_at", "-id")


def warehouse_by_code(code: str) -> Warehouse:
    """One warehouse by code, or NotFound."""
    warehouse = Warehouse.objects.filter(code=code.strip()).first()
    if warehouse is None:
        raise NotFound(_("No warehouse with code %(code)s") % {"code": code})
    return warehouse
