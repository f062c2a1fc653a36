from django.urls import path

from haumai.privacy import audit_views, incident_views, restriction_views, views

app_name = "privacy"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path(
        "customers/<str:code>/restriction/<slug:name>/", restriction_views.restriction_action, name="restriction"
    ),
    path("access/", audit_views.access_log, name="access_log"),
    path("access/<int:entry_id>/reason/", audit_views.give_reason, name="access_reason"),
    path("incidents/", incident_views.incident_list, name="incidents"),
    path("incidents/new/", incident_views.incident_create, name="incident_create"),
    path("incidents/<str:code>/", incident_views.incident_detail, name="incident"),
    path("incidents/<str:code>/notice/<slug:audience>/", incident_views.incident_notice, name="incident_notice"),
    path("incidents/<str:code>/<slug:name>/", incident_views.incident_action, name="incident_action"),
    path("<str:code>/", views.request_detail, name="detail"),
    path("<str:code>/download/", views.download_export, name="download"),
    path("<str:code>/<slug:name>/", views.request_action, name="action"),
]
