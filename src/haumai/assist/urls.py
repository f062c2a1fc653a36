"""Console pages of AI assistance (mounted at /console/assist/)."""

from django.urls import path

from haumai.assist import views

app_name = "assist"
urlpatterns = [
    path("calls/", views.call_log, name="calls"),
    path("tickets/<str:code>/draft/", views.draft, name="draft"),
    path("tickets/<str:code>/summary/", views.summary, name="summary"),
    path("tickets/<str:code>/translate/", views.translate, name="translate"),
]
