"""Portal pages of loyalty (mounted at /portal/rewards/)."""

from django.urls import path

from haumai.loyalty import portal_views

app_name = "loyalty_portal"
urlpatterns = [
    path("", portal_views.mine, name="mine"),
    path("buy/<str:code>/", portal_views.buy, name="buy"),
]
