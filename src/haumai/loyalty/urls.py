"""Console pages of loyalty."""

from django.urls import path

from haumai.loyalty import campaign_views, views

app_name = "loyalty"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<str:code>/", views.campaign_detail, name="campaign"),
    path("campaigns/<str:code>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<str:code>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("campaigns/<str:code>/segment/", campaign_views.campaign_segment, name="campaign_segment"),
    path("customers/<str:code>/adjust/", views.adjust, name="adjust"),
    path("customers/<str:code>/goodwill/", views.goodwill, name="goodwill"),
]
