"""Console settings pages of automatic assignment: /console/support/assignment/..."""

from django.urls import path

from haumai.support.assignment import views

app_name = "support_assignment"
urlpatterns = [
    path("", views.team_list, name="teams"),
    path("<int:team_id>/", views.team_rule, name="team"),
]
