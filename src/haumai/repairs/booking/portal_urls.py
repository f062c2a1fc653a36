"""Portal pages of appointments (mounted at /portal/appointments/)."""

from django.urls import path

from haumai.repairs.booking import portal_views

app_name = "booking_portal"
urlpatterns = [
    path("", portal_views.mine, name="mine"),
    path("book/", portal_views.book, name="book"),
    path("book/confirm/", portal_views.confirm, name="confirm"),
    path("<str:code>/cancel/", portal_views.cancel, name="cancel"),
    path("link/<str:token>/", portal_views.by_link, name="by_link"),
    path("maintenance/<str:token>/", portal_views.from_link, name="from_link"),
    path("maintenance/<str:token>/confirm/", portal_views.from_link_confirm, name="from_link_confirm"),
]
