"""Console pages of analytics."""

from django.urls import path

from haumai.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("weekly-email/", views.weekly_email, name="weekly_email"),
    path("drill/<slug:name>/", views.drill_down, name="drill"),
    path("export/<slug:name>.csv", views.export_csv, name="export"),
    path("export/<slug:name>.xlsx", views.export_xlsx, name="export_xlsx"),
]
