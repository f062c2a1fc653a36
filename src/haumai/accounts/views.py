"""The admin login entry point: the login policy's form, and a clear refusal for staff without admin access."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def admin_login(request: HttpRequest) -> HttpResponse:
    """Explain the refusal to a logged-in agent instead of showing the admin login again without a word."""
    user = request.user
    if request.method == "GET" and user.is_authenticated and not (user.is_active and user.is_staff):
        return render(request, "accounts/admin_refused.html", status=403)
    return admin.site.login(request)
