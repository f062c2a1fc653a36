"""The one-page survey form a customer opens from a message."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from haumai.core.errors import DomainError, ValidationFailed
from haumai.surveys import links, selectors, services
from haumai.surveys.models import Invitation, InvitationStatus


def _language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _context(invitation: Invitation, language: str, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "form": selectors.form_for(invitation, language, values, errors),
        "values": values,
        "errors": errors,
        "invitation": invitation,
    }


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the questions; POST stores the answer once (bad input: errors beside the fields, nothing stored)."""
    try:
        invitation = links.read(token)
    except DomainError as exc:
        return render(request, "surveys/public_form.html", {"refused": str(exc)}, status=exc.status)
    language = _language()
    if request.method == "GET":
        if invitation.status == InvitationStatus.ANSWERED:
            return render(request, "surveys/public_form.html", {"done": True, "again": True})
        return render(request, "surveys/public_form.html", _context(invitation, language, {}, {}))
    values = {key: request.POST.get(key, "")[:4000] for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        services.submit_response(invitation=invitation, data=values, language=language)
    except ValidationFailed as exc:
        errors = {error.field: error.message for error in exc.errors}
        context = _context(invitation, language, values, errors)
        context["error"] = exc.message
        return render(request, "surveys/public_form.html", context, status=422)
    except services.AlreadyAnswered as exc:
        return render(
            request, "surveys/public_form.html", {"done": True, "again": True, "message": str(exc)}, status=409
        )
    return render(request, "surveys/public_form.html", {"done": True})
