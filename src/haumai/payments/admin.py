"""Admin: read-only views of payments, refunds and the store credit ledger (changes go through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haumai.payments.models import Payment, Refund, RefundAttempt, StoreCreditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order", "method", "amount_vnd", "refunded_vnd", "provider_transaction_ref", "paid_at"]
    list_filter = ["method"]
    search_fields = ["provider_transaction_ref", "provider_transaction_no", "order__code"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]


class RefundAttemptInline(admin.TabularInline):
    model = RefundAttempt
    extra = 0
    can_delete = False
    fields = ("number", "kind", "request_id", "outcome", "result_code", "message", "signature_valid", "started_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["code", "order", "method", "amount_vnd", "status", "reference", "requested_at"]
    list_filter = ["status", "method"]
    search_fields = ["code", "reference", "order__code"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "payment", "customer"]
    inlines = [RefundAttemptInline]


@admin.register(StoreCreditEntry)
class StoreCreditEntryAdmin(ReadOnlyAdmin):
    list_display = ["customer", "amount_vnd", "kind", "reference", "created_at"]
    list_filter = ["kind"]
    search_fields = ["customer__code", "reference"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "refund"]
