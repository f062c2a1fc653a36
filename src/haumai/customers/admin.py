"""Django admin for customers (staff back office; the console is the main UI)."""

from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from haumai.customers.models import Address, Consent, Customer, Identity, Province, Ward


class IdentityInline(TabularInline):
    model = Identity
    extra = 0


class AddressInline(TabularInline):
    model = Address
    extra = 0
    raw_id_fields = ("ward",)


class ConsentInline(TabularInline):
    model = Consent
    extra = 0


@admin.register(Customer)
class CustomerAdmin(ModelAdmin):
    list_display = ("code", "full_name", "phone", "email", "preferred_channel", "created_at")
    search_fields = ("code", "search_key", "phone", "email", "external_id")
    readonly_fields = ("code", "search_key", "created_at", "updated_at")
    inlines = (IdentityInline, AddressInline, ConsentInline)
    show_full_result_count = False


@admin.register(Identity)
class IdentityAdmin(ModelAdmin):
    list_display = ("kind", "value", "customer", "verified_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("value", "customer__code")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    show_full_result_count = False


@admin.register(Address)
class AddressAdmin(ModelAdmin):
    list_display = ("customer", "street", "ward", "province", "is_default")
    search_fields = ("customer__code", "street")
    list_select_related = ("customer", "ward", "province")
    raw_id_fields = ("customer", "ward")
    show_full_result_count = False


@admin.register(Province)
class ProvinceAdmin(ModelAdmin):
    list_display = ("code", "name", "codename")
    search_fields = ("name", "search_key", "codename")


@admin.register(Ward)
class WardAdmin(ModelAdmin):
    list_display = ("code", "name", "province")
    search_fields = ("name", "search_key")
    list_filter = ("province",)
    list_select_related = ("province",)
