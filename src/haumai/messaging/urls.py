"""Console pages of messaging (and the public, signed unsubscribe link)."""

from django.urls import path

from haumai.messaging import public_views

app_name = "messaging"
urlpatterns = [
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
