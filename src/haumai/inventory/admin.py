"""Django admin for warehouses and stock (moves are read-only: the ledger is immutable)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from haumai.inventory.models import StockLevel, StockMove, Warehouse


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
