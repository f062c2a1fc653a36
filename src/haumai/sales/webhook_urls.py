"""Order webhooks: /hooks/orders/ (signed JSON orders pushed by e-commerce platforms)."""

from django.urls import URLPattern, path

from haumai.sales import webhooks

app_name = "sales_hooks"
urlpatterns: list[URLPattern] = [path("", webhooks.order_webhook, name="orders")]
