"""Page numbers of paginated console lists."""

from __future__ import annotations

from django.http import HttpRequest

MAX_PAGE = 10_000


def page_number(request: HttpRequest) -> int:
    """The `?page=` number, 1 when missing or not a number, clamped to 1..MAX_PAGE."""
    text = request.GET.get("page", "1").strip()
    return max(1, min(int(text), MAX_PAGE)) if text.isdigit() and len(text) < 7 else 1
