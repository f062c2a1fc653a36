"""Admin for carriers (switch on/off) and a read-mostly view of shipments."""

from __future__ import annotations

from django.contrib import admin

from haumai.shipping.models import Carrier, Shipment, TrackingEvent


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_editable = ["is_active"]


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["occurred_at", "raw_code", "mapped_status", "applied", "description", "source", "received_at"]
    exclude = ["raw_payload", "dedupe_key"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["code", "carrier", "direction", "status", "raw_status", "tracking_code", "reference", "created_at"]
    list_filter = ["status", "carrier", "direction"]
    search_fields = ["code", "tracking_code", "reference"]
    readonly_fields = [f.name for f in Shipment._meta.fields]
    inlines = [TrackingEventInline]
    show_full_result_count = False

    def has_add_permission(self, request: object) -> bool:
        return False
