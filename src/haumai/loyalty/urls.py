"""Console pages of loyalty."""

from django.urls import path

from haumai.loyalty import views

app_name = "loyalty"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<str:code>/", views.campaign_detail, name="campaign"),
    path("customers/<str:code>/adjust/", views.adjust, name="adjust"),
    path("customers/<str:code>/goodwill/", views.goodwill, name="goodwill"),
]
