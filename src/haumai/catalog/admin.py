"""Django admin for the catalog."""

from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin

from haumai.catalog.models import Category, Product, Unit


@admin.register(Category)
class CategoryAdmin(ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")
    list_select_related = ("parent",)


@admin.register(Product)
class ProductAdmin(ModelAdmin):
    list_display = ("sku", "name", "brand", "category", "price", "warranty_months", "return_days", "is_active")
    list_filter = ("is_active", "is_serialized", "warranty_provider", "category")
    search_fields = ("sku", "name", "search_key", "brand")
    list_select_related = ("category",)
    readonly_fields = ("search_key", "created_at", "updated_at")


@admin.register(Unit)
class UnitAdmin(ModelAdmin):
    list_display = ("serial", "imei", "product", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("serial", "imei", "product__sku")
    list_select_related = ("product",)
    raw_id_fields = ("product",)
    show_full_result_count = False
