"""Customer-facing messaging URLs (no login; links are signed). Mount at /m/ in haumai/urls.py."""

from django.urls import path

from haumai.messaging import public_views

app_name = "messaging_public"
urlpatterns = [
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
