"""Console settings pages of SLA: /console/support/sla/..."""

from django.urls import path

from haumai.support.sla import views

app_name = "support_sla"
urlpatterns = [
    path("calendars/", views.calendar_list, name="calendars"),
    path("calendars/new/", views.calendar_create, name="calendar_create"),
    path("calendars/<int:pk>/", views.calendar_detail, name="calendar"),
    path("calendars/<int:pk>/<slug:part>/", views.calendar_update, name="calendar_update"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views.policy_edit, name="policy"),
]
