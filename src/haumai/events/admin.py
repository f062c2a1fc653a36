"""Django admin for the event log (read-only: events are append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from haumai.events.models import Event


@admin.register(Event)
class EventAdmin(ModelAdmin):
    list_display = ("occurred_at", "name", "customer", "subject_type", "subject_id", "actor_label")
    list_filter = ("name",)
    search_fields = ("name", "subject_id", "customer__code")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "actor")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
