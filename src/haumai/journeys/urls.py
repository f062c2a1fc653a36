"""Console pages of journeys."""

from django.urls import URLPattern

app_name = "journeys"
urlpatterns: list[URLPattern] = []
