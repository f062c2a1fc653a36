from django.urls import path

from haumai.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:run_id>/", views.import_detail, name="detail"),
    path("<int:run_id>/progress/", views.import_progress, name="progress"),
    path("<int:run_id>/report/", views.import_report, name="report"),
    path("<int:run_id>/import/", views.import_confirm, name="confirm"),
]
