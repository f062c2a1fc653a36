"""Console pages of loyalty."""

from django.urls import path

from haumai.loyalty import campaign_views, cashback_views, views

app_name = "loyalty"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<str:code>/", views.campaign_detail, name="campaign"),
    path("campaigns/<str:code>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<str:code>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("campaigns/<str:code>/segment/", campaign_views.campaign_segment, name="campaign_segment"),
    path("cashback/", cashback_views.rule_list, name="cashback_rules"),
    path("cashback/new/", cashback_views.rule_new, name="cashback_rule_new"),
    path("cashback/<int:rule_id>/active/", cashback_views.rule_toggle, name="cashback_rule_toggle"),
    path("customers/<str:code>/adjust/", views.adjust, name="adjust"),
    path("customers/<str:code>/goodwill/", views.goodwill, name="goodwill"),
]
