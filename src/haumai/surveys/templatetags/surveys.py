"""`{% survey_responses "return" rma.code %}`: the answers about one record, for its detail page."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from haumai.surveys import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_responses(context: Any, subject_kind: str, subject_code: str) -> str:
    """A small card of the survey answers about a record (nothing for staff who may not read answers)."""
    request = context.get("request")
    if request is None or not request.user.has_perm("surveys.view_response"):
        return ""
    rows = selectors.subject_responses(subject_kind, subject_code, limit=5)
    return render_to_string("surveys/_subject_responses.html", {"survey_rows": rows}, request=request)
