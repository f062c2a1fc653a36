"""Carrier webhooks (filled by the shipping app)."""

from django.urls import URLPattern

app_name = "shipping_hooks"
urlpatterns: list[URLPattern] = []
