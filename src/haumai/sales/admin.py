"""Django admin for channels, stores and orders."""

from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from haumai.sales.models import Channel, Order, OrderLine, Store


@admin.register(Channel)
class ChannelAdmin(ModelAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name")


@admin.register(Store)
class StoreAdmin(ModelAdmin):
    list_display = ("code", "name", "province", "phone")
    search_fields = ("code", "name")
    list_select_related = ("province",)
    raw_id_fields = ("ward",)


class OrderLineInline(TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ("product", "unit")


@admin.register(Order)
class OrderAdmin(ModelAdmin):
    list_display = ("code", "channel", "external_id", "customer", "status", "placed_at", "total")
    list_filter = ("status", "channel")
    search_fields = ("code", "external_id", "customer__code")
    list_select_related = ("channel", "customer")
    raw_id_fields = ("customer", "store")
    readonly_fields = ("content_hash", "created_at", "updated_at")
    inlines = (OrderLineInline,)
    show_full_result_count = False
