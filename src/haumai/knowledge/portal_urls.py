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
    path("<slug:slug>/fix/", portal_views.fix, name="fix"),
    path("<slug:slug>/fix/<int:step_id>/", portal_views.fix, name="fix_step"),
    path("<slug:slug>/fix/<int:step_id>/answer/", portal_views.fix_answer, name="fix_answer"),
]
