"""Console pages of shipping."""

from django.urls import path

from haumai.shipping import views

app_name = "shipping"
urlpatterns = [
    path("", views.shipment_index, name="list"),
    path("failed-bookings/", views.failed_bookings, name="failed"),
    path("<str:code>/", views.shipment_detail, name="detail"),
    path("<str:code>/state/", views.shipment_state, name="state"),
    path("<str:code>/retry-booking/", views.retry_booking, name="retry_booking"),
    path("<str:code>/fleet-status/", views.fleet_status, name="fleet_status"),
    path("<str:code>/received-at-store/", views.received_at_store, name="received_at_store"),
    path("<str:code>/cancel/", views.cancel, name="cancel"),
    path("<str:code>/redeliver/", views.redeliver, name="redeliver"),
    path("<str:code>/sandbox-status/", views.sandbox_push, name="sandbox_push"),
]
