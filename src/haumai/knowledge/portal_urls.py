"""The public help center (no login), mounted at /portal/help/."""

from django.urls import path

from haumai.knowledge import portal_views

app_name = "help"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("search/", portal_views.search, name="search"),
    path("c/<slug:slug>/", portal_views.category, name="category"),
    path("<slug:slug>/", portal_views.article, name="article"),
    path("<slug:slug>/feedback/", portal_views.feedback, name="feedback"),
]
