"""Console pages of returns."""

from django.urls import path

from haumai.returns import receiving_views, views

app_name = "returns"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.create, name="create"),
    path("metrics/", views.metrics, name="metrics"),
    path("receiving/", receiving_views.scan, name="receiving"),
    path("receiving/<str:code>/", receiving_views.receive, name="receive"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<str:code>/<slug:name>/", views.action, name="action"),
]
