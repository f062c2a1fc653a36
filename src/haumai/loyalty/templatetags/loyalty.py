"""Template filters of loyalty."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def points(value: int | None) -> str:
    """12345 -> '12.345' (Vietnamese thousands separator)."""
    return "" if value is None else f"{int(value):,}".replace(",", ".")
