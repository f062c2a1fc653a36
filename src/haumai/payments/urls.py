"""Console pages of payments (mounted at /console/payments/)."""

from django.urls import path

from haumai.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.refund_index, name="list"),
    path("attention/", views.attention_queue, name="attention"),
    path("refunds/<str:code>/", views.refund_detail, name="detail"),
    path("refunds/<str:code>/confirm/", views.confirm_refund, name="confirm"),
    path("refunds/<str:code>/resolve/", views.resolve_refund, name="resolve"),
]
