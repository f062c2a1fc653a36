"""Console pages of booking: service centres (/console/service-centers/), appointments
(/console/appointments/), on-site visits (/console/visits/) and maintenance (/console/maintenance/)."""

from django.urls import include, path

from haumai.repairs.booking import appointment_views, plan_views, views, visit_views

app_name = "booking"

centers = [
    path("", views.center_list, name="centers"),
    path("new/", views.center_new, name="center_new"),
    path("<slug:code>/", views.center_edit, name="center"),
    path("<slug:code>/closed-days/", views.closed_day, name="closed_day"),
    path("<slug:code>/slots/", views.center_slots, name="center_slots"),
]
appointments = [
    path("", appointment_views.appointment_list, name="appointments"),
    path("new/", appointment_views.appointment_new, name="appointment_new"),
    path("<str:code>/", appointment_views.appointment_detail, name="appointment"),
    path("<str:code>/check-in/", appointment_views.check_in, name="check_in"),
    path("<str:code>/cancel/", appointment_views.cancel, name="cancel"),
    path("<str:code>/reschedule/", appointment_views.reschedule, name="reschedule"),
]
visits = [
    path("", visit_views.visit_list, name="visits"),
    path("new/", visit_views.visit_new, name="visit_new"),
    path("<str:code>/", visit_views.visit_detail, name="visit"),
    path("<str:code>/outcome/", visit_views.visit_outcome, name="visit_outcome"),
    path("<str:code>/assign/", visit_views.visit_assign, name="visit_assign"),
    path("<str:code>/cancel/", visit_views.visit_cancel, name="visit_cancel"),
]
maintenance = [
    path("", visit_views.maintenance_list, name="maintenance"),
    path("<int:pk>/done/", visit_views.maintenance_done, name="maintenance_done"),
    path("plans/", plan_views.plan_list, name="maintenance_plans"),
    path("plans/<int:pk>/active/", plan_views.plan_active, name="maintenance_plan_active"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="maintenance_plan_edit"),
]
urlpatterns = [
    path("service-centers/", include(centers)),
    path("appointments/", include(appointments)),
    path("visits/", include(visits)),
    path("maintenance/", include(maintenance)),
]
