from django.urls import path

from haumai.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_index, name="list"),
    path("<str:code>/", views.customer_360, name="detail"),
]
