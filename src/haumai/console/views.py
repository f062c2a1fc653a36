"""Console pages: login/logout, home with work queues, global search."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haumai.console.forms import StaffLoginForm
from haumai.console.navigation import count_label, landing_url, nav_counts
from haumai.console.selectors import global_search
from haumai.console.work_queues import queues_for


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """A role's registered landing page (the agents' inbox), else the console home."""
        return landing_url(self.request.user) or super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    next_page = "console:login"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's work queues."""
    return render(request, "console/home.html", {"queues": queues_for(request.user)})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Global search and command palette; htmx asks for the type-ahead partial, a plain GET gets the page.

    Any signed-in staff user may search: each provider answers only for the permission it declares.
    """
    results = global_search(request.GET.get("q", ""), request.user)
    template = "console/_search_results.html" if request.headers.get("HX-Request") else "console/search.html"
    return render(request, template, {"results": results})


@login_required
@require_GET
def navigation_counts(request: HttpRequest) -> JsonResponse:
    """The sidebar's waiting-work badges for this user: {entry key: {"count": n, "label": "99+"}}."""
    counts = {key: {"count": value, "label": count_label(value)} for key, value in nav_counts(request.user).items()}
    response = JsonResponse({"counts": counts})
    response["Cache-Control"] = "private, no-store"
    return response
