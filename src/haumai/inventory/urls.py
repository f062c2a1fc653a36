"""Console pages of inventory: transfers between warehouses and available-to-sell per channel."""

from django.urls import path

from haumai.inventory import views

app_name = "inventory"
urlpatterns = [
    path("transfers/", views.transfer_index, name="transfers"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/<str:code>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<str:code>/<str:step>/", views.transfer_step, name="transfer_step"),
    path("availability/", views.availability, name="availability"),
]
