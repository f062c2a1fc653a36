"""Template filters: VND amounts."""

from __future__ import annotations

from django import template

from haumai.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """1234567 -> '1.234.567 ₫'."""
    return "" if amount is None else format_vnd(int(amount))
