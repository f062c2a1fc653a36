"""Console pages of journeys."""

from django.urls import URLPattern, path

from haumai.journeys import views

app_name = "journeys"
urlpatterns: list[URLPattern] = [
    path("", views.journey_index, name="list"),
    path("new/", views.journey_create, name="create"),
    path("tasks/", views.task_queue, name="tasks"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("customers/<str:code>/", views.customer_runs, name="customer_runs"),
    path("<slug:key>/", views.journey_detail, name="detail"),
    path("<slug:key>/edit/", views.journey_edit, name="edit"),
    path("<slug:key>/runs/", views.journey_runs, name="runs"),
    path("<slug:key>/runs/<int:run_id>/", views.run_detail, name="run_detail"),
]
