"""Console pages of returns."""

from django.urls import URLPattern

app_name = "returns"
urlpatterns: list[URLPattern] = []
