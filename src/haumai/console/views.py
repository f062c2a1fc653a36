"""Console pages: login/logout, home with work queues, global search."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haumai.accounts.selectors import shown_phone
from haumai.console.forms import StaffLoginForm
from haumai.console.selectors import global_search
from haumai.console.work_queues import queues_for


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


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
    """Global search; htmx asks for the dropdown partial, a plain GET gets the full page."""
    if not request.user.has_perm("customers.view_customer"):
        return render(request, "console/forbidden.html", status=403)
    results = global_search(request.GET.get("q", ""))
    for customer in results.customers:
        customer.shown_phone = shown_phone(request.user, customer.phone)
    template = "console/_search_results.html" if request.headers.get("HX-Request") else "console/search.html"
    return render(request, template, {"results": results})
