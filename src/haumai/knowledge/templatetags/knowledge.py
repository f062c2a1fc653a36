"""Template helpers of the help center."""

from __future__ import annotations

from django import template

from haumai.knowledge.models import HelpCategory

register = template.Library()


@register.filter
def help_name(category: HelpCategory, language: str) -> str:
    """A help category's name in a language."""
    return category.name_in(language)
