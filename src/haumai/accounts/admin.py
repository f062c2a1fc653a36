"""Admin for staff, teams, approval limits and API tokens (managers and admins only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from haumai.accounts.forms import AdminLoginForm
from haumai.accounts.models import ApiToken, ApprovalLimit, Team, User
from haumai.accounts.services import create_api_token

# The admin login follows the same login policy (lockout per account and address) as the console.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class StaffAdmin(UserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ("username", "first_name", "last_name", "email", "team", "is_active", "is_staff")
    list_filter = ("groups", "team", "is_active", "is_staff")
    list_select_related = ("team",)
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Haumai", {"fields": ("team", "phone")}))


@admin.register(Team)
class TeamAdmin(ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(ApprovalLimit)
class ApprovalLimitAdmin(ModelAdmin):
    list_display = ("role", "max_goodwill_vnd")
    list_select_related = ("role",)


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
    fields = ("user", "name", "expires_at", "revoked_at", "prefix", "token_hash", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # New tokens are issued by the service; the secret is shown once and never stored.
        token, raw = create_api_token(actor=request.user, user=obj.user, name=obj.name)  # type: ignore[arg-type]
        if obj.expires_at:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=obj.expires_at)
        obj.pk = token.pk
        messages.warning(request, f"Copy this token now, it will not be shown again: {raw}")
