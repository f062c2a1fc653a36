"""Console pages of segments."""

from django.urls import path

from haumai.segments import views

app_name = "segments"
urlpatterns = [
    path("", views.segment_list, name="list"),
    path("new/", views.segment_new, name="new"),
    path("preview/", views.segment_preview, name="preview"),
    path("<slug:key>/", views.segment_detail, name="detail"),
    path("<slug:key>/edit/", views.segment_edit, name="edit"),
    path("<slug:key>/refresh/", views.segment_refresh, name="refresh"),
    path("<slug:key>/export.csv", views.segment_export, name="export"),
]
