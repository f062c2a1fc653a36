from django.urls import path

from haumai.console import views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("search/", views.search, name="search"),
    path("nav-counts/", views.navigation_counts, name="nav_counts"),
]
