"""Console pages of surveys."""

from django.urls import path

from haumai.surveys import views

app_name = "surveys"
urlpatterns = [
    path("manage/", views.survey_list, name="list"),
    path("manage/<slug:key>/", views.survey_edit, name="edit"),
    path("responses/", views.response_list, name="responses"),
    path("responses/<str:code>/", views.response_detail, name="response"),
    path("follow-ups/", views.follow_up_queue, name="follow_ups"),
    path("follow-ups/<str:code>/", views.follow_up_detail, name="follow_up"),
    path("follow-ups/<str:code>/<slug:name>/", views.follow_up_action, name="follow_up_action"),
]
