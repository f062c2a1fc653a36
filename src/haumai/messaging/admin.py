"""Django admin for messaging: webhook subscriptions, Zalo OA credentials, templates and deliveries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin, TabularInline

from haumai.messaging.models import (
    Delivery,
    DeliveryAttempt,
    Template,
    TemplateVersion,
    WebhookSubscription,
    ZaloCredential,
)
from haumai.messaging.webhooks import forget_cached_subscriptions


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ModelAdmin):
    list_display = ("name", "url", "event_patterns", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_cached_subscriptions()


@admin.register(ZaloCredential)
class ZaloCredentialAdmin(ModelAdmin):
    list_display = ("oa_id", "app_id", "is_active", "access_expires_at", "refreshed_at")
    readonly_fields = ("access_expires_at", "refreshed_at")
    # Tokens are secrets: writable (to paste the first refresh token), never listed.
    fields = ("oa_id", "app_id", "is_active", "refresh_token", "access_token", "access_expires_at", "refreshed_at")


class TemplateVersionInline(TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ("number", "subject", "note", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Template)
class TemplateAdmin(ModelAdmin):
    list_display = ("key", "channel", "language", "name", "current_version", "is_active")
    list_filter = ("channel", "language", "is_active")
    search_fields = ("key", "name")
    readonly_fields = ("current_version",)
    inlines = (TemplateVersionInline,)


class DeliveryAttemptInline(TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "outcome", "http_status", "error_code", "error_message", "provider_message_id")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ModelAdmin):
    list_display = (
        "pk", "created_at", "channel", "template_key", "customer", "status", "attempt_count", "last_error_code",
    )
    list_filter = ("status", "channel")
    search_fields = ("idempotency_key", "template_key", "customer__code", "tracking_id")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "template_version", "subscription", "created_by")
    inlines = (DeliveryAttemptInline,)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
