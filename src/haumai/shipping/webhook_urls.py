"""Carrier webhooks: /hooks/shipping/<carrier>/ (GHN carries our secret in the path)."""

from django.urls import URLPattern, path

from haumai.shipping import webhook_views

app_name = "shipping_hooks"
urlpatterns: list[URLPattern] = [
    path("ghn/<str:secret>/", webhook_views.carrier_webhook, {"carrier": "ghn"}, name="ghn"),
    path("<slug:carrier>/", webhook_views.carrier_webhook, name="carrier"),
]
