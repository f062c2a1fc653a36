"""Reads about stock."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core.errors import NotFound
from haumai.inventory.models import (
    ChannelAllocation,
    ChannelStock,
    StockLevel,
    StockMove,
    Transfer,
    TransferLine,
    TransferStatus,
    Warehouse,
)
from haumai.sales.models import Channel


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


def warehouses() -> QuerySet[Warehouse]:
    """Every warehouse by name (forms offer them)."""
    return Warehouse.objects.order_by("name", "id")


def warehouse_by_code(code: str) -> Warehouse:
    """One warehouse by code, or NotFound."""
    warehouse = Warehouse.objects.filter(code=code.strip()).first()
    if warehouse is None:
        raise NotFound(_("No warehouse with code %(code)s") % {"code": code})
    return warehouse


def transfers(*, status: str = "", warehouse: str = "") -> QuerySet[Transfer]:
    """Transfers, newest first, with their lines (two queries beside the page)."""
    rows = Transfer.objects.select_related("source", "destination").prefetch_related(
        Prefetch("lines", queryset=TransferLine.objects.select_related("product", "unit").order_by("pk"))
    )
    if status:
        rows = rows.filter(status=status)
    if warehouse:
        code = warehouse.strip()
        rows = rows.filter(Q(source__code=code) | Q(destination__code=code))
    return rows.order_by("-requested_at", "-id")


def transfer_by_code(code: str) -> Transfer:
    """One transfer by code, or NotFound."""
    found = transfers().filter(code=code.strip().upper()).first()
    if found is None:
        raise NotFound(_("No transfer with code %(code)s") % {"code": code})
    return found


def in_transit(*, sku: str = "") -> QuerySet[TransferLine]:
    """What is on the road between warehouses now."""
    lines = TransferLine.objects.filter(transfer__status=TransferStatus.IN_TRANSIT).select_related(
        "product", "unit", "transfer__source", "transfer__destination"
    )
    if sku:
        lines = lines.filter(product__sku=sku.strip())
    return lines.order_by("transfer__shipped_at", "pk")


def available_to_sell(*, sku: str = "", channel: str = "") -> QuerySet[ChannelStock]:
    """The published available-to-sell per SKU and channel, by SKU then channel."""
    rows = ChannelStock.objects.select_related("product", "channel")
    if sku:
        rows = rows.filter(product__sku=sku.strip())
    if channel:
        rows = rows.filter(channel__code=channel.strip())
    return rows.order_by("product__sku", "channel__code")


def availability_products(*, query: str = "", channel: str = "") -> QuerySet[Product]:
    """Products with a published available-to-sell on some channel (or on `channel`), by SKU."""
    published = ChannelStock.objects.all()
    if channel:
        published = published.filter(channel__code=channel.strip())
    rows = Product.objects.filter(pk__in=published.values("product_id"))
    text = query.strip()
    if text:
        rows = rows.filter(Q(sku__icontains=text) | Q(name__icontains=text))
    return rows.order_by("sku", "id")


def availability_grid(product_ids: list[int]) -> dict[int, dict[int, ChannelStock]]:
    """Published quantities of some products: product id -> channel id -> row (one query)."""
    grid: dict[int, dict[int, ChannelStock]] = {}
    for row in ChannelStock.objects.filter(product_id__in=product_ids):
        grid.setdefault(row.product_id, {})[row.channel_id] = row
    return grid


def on_hand_totals(product_ids: list[int]) -> dict[int, int]:
    """Units on hand over every warehouse and grade, per product (one grouped query)."""
    rows = (
        StockLevel.objects.filter(product_id__in=product_ids)
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    return {product_id: int(total or 0) for product_id, total in rows}


def selling_channels() -> list[Channel]:
    """Sales channels with an active allocation (the columns of the availability page)."""
    ids = ChannelAllocation.objects.filter(is_active=True).values("channel_id")
    return list(Channel.objects.filter(pk__in=ids).order_by("name", "id"))
