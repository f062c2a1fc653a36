"""Console pages of the bot (mounted at /console/bot/)."""

from django.urls import path

from haumai.bot import views

app_name = "bot"
urlpatterns = [path("", views.report, name="report")]
