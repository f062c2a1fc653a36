"""Template tags: VND amounts and the vendored SVG icons."""

from __future__ import annotations

import functools
import logging
import re

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html

from haumai.core.money import format_vnd

register = template.Library()
logger = logging.getLogger(__name__)
ICON_SPRITE = "vendor/lucide/sprite.svg"
FALLBACK_ICON = "circle"


@register.filter
def vnd(amount: int | None) -> str:
    """1234567 -> '1.234.567 ₫'."""
    return "" if amount is None else format_vnd(int(amount))


@register.filter
def intdot(number: int | None) -> str:
    """A count the Vietnamese way: 1234567 -> '1.234.567' (whatever the UI language: VND reads the same)."""
    if number is None or number == "":
        return ""
    return f"{int(number):,}".replace(",", ".")


@functools.cache
def icon_names() -> frozenset[str]:
    """The icon names in the vendored sprite (read once)."""
    path = finders.find(ICON_SPRITE)
    if not path or isinstance(path, list):
        return frozenset()
    with open(path, encoding="utf-8") as sprite:
        return frozenset(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite.read()))


@register.simple_tag
def icon(name: str, label: str = "", css_class: str = "") -> str:
    """An icon from the sprite: `{% icon "truck" %}` (decorative) or `{% icon "x" label=_("Close") %}`."""
    if name not in icon_names():
        logger.warning("unknown icon %r: add it to console/static/vendor/lucide/icons.txt", name)
        name = FALLBACK_ICON
    classes = f"hm-icon {css_class}".strip()
    href = f"{static(ICON_SPRITE)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', classes, href
    )
