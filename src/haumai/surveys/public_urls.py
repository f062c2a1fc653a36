"""Customer-facing survey form (no login: the signed link is the credential). Mounted at /s/."""

from django.urls import path

from haumai.surveys import public_views

app_name = "surveys_public"
urlpatterns = [
    path("<str:token>/", public_views.survey_form, name="form"),
]
