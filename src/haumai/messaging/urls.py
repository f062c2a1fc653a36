"""Console pages of messaging (and the public, signed unsubscribe link)."""

from django.urls import path
from django.views.generic import RedirectView

from haumai.messaging import public_views, views

app_name = "messaging"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="messaging:templates", permanent=False), name="home"),
    path("templates/", views.template_index, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/preview/", views.template_preview, name="template_preview"),
    path("templates/<int:pk>/", views.template_show, name="template_detail"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("deliveries/", views.delivery_index, name="deliveries"),
    path("deliveries/<int:pk>/", views.delivery_show, name="delivery_detail"),
    path("deliveries/<int:pk>/settle/", views.delivery_resolve, name="delivery_resolve"),
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
