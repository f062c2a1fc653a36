"""Django admin for return policies (managers edit them) and a read-only view of returns."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from haumai.returns.models import DispositionRule, ReturnPolicy, ReturnRequest


@admin.register(DispositionRule)
class DispositionRuleAdmin(ModelAdmin):
    """What inspection proposes per grade, reason and category (the most specific active rule wins)."""

    list_display = ("grade", "reason", "category", "disposition", "warehouse", "is_active")
    list_filter = ("is_active", "grade", "disposition")
    list_select_related = ("category", "warehouse")


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(ModelAdmin):
    list_display = ("name", "scope", "window_days", "window_start", "auto_approve", "refund_on_first_scan", "is_active")
    list_filter = ("is_active", "auto_approve", "window_start")
    search_fields = ("name",)
    autocomplete_fields = ("product", "category")
    list_select_related = ("product", "category", "channel")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ModelAdmin):
    """Returns change only through their services (console/API); the admin shows them."""

    list_display = ("code", "status", "customer", "order", "requested_at", "problem")
    list_filter = ("status", "origin", "logistics")
    search_fields = ("code", "dropoff_code", "tracking_code")
    list_select_related = ("customer", "order")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
