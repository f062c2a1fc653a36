"""Django admin for warehouses and stock (moves are read-only: the ledger is immutable)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from haumai.inventory import availability
from haumai.inventory.models import ChannelAllocation, ChannelStock, StockLevel, StockMove, Transfer, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(ModelAdmin):
    list_display = ("code", "name", "store", "province")
    search_fields = ("code", "name")
    list_select_related = ("store", "province")


@admin.register(StockLevel)
class StockLevelAdmin(ModelAdmin):
    """Read-only: levels change only through stock moves (inventory.services.move_stock)."""

    list_display = ("product", "warehouse", "grade", "quantity", "updated_at")
    list_filter = ("warehouse", "grade")
    search_fields = ("product__sku",)
    list_select_related = ("product", "warehouse")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StockMove)
class StockMoveAdmin(ModelAdmin):
    """Read-only ledger."""

    list_display = ("created_at", "product", "warehouse", "grade", "quantity", "reason", "reference", "actor")
    list_filter = ("reason", "warehouse", "grade")
    search_fields = ("product__sku", "reference")
    list_select_related = ("product", "warehouse", "actor")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChannelAllocation)
class ChannelAllocationAdmin(ModelAdmin):
    """Which stock each channel sells; saving recomputes every SKU's available-to-sell (and announces changes)."""

    list_display = ("channel", "warehouse", "grades", "share_percent", "buffer", "is_active")
    list_filter = ("channel", "is_active")
    list_select_related = ("channel", "warehouse")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: availability.refresh_all(actor=request.user))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(lambda: availability.refresh_all(actor=request.user))


@admin.register(ChannelStock)
class ChannelStockAdmin(ModelAdmin):
    """Read-only: derived from levels and allocations (inventory.availability)."""

    list_display = ("product", "channel", "available", "updated_at")
    list_filter = ("channel",)
    search_fields = ("product__sku",)
    list_select_related = ("product", "channel")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transfer)
class TransferAdmin(ModelAdmin):
    """Read-only here: transfers move stock only through the console or the API (inventory.transfers)."""

    list_display = ("code", "source", "destination", "status", "requested_at", "shipped_at", "received_at")
    list_filter = ("status", "source", "destination")
    search_fields = ("code",)
    list_select_related = ("source", "destination")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
