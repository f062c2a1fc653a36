"""Template filters of the support app."""

from __future__ import annotations

from typing import Any

from django import template

from haumai.support.channels import facebook_outbound

register = template.Library()


@register.filter
def delivery_problem(message: Any) -> str:
    """Why a reply did not reach the customer (translated), or ""."""
    return facebook_outbound.problem(message)
