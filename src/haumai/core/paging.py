"""Page numbers of paginated console lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

MAX_PAGE = 10_000


def page_number(request: HttpRequest) -> int:
    """The `?page=` number, 1 when missing or not a number, clamped to 1..MAX_PAGE."""
    text = request.GET.get("page", "1").strip()
    return max(1, min(int(text), MAX_PAGE)) if text.isdigit() and len(text) < 7 else 1

def page_of(queryset: Any, page: int, size: int) -> tuple[list[Any], bool]:
    """One page of rows and whether another follows, with one query (fetches one row more, no COUNT)."""
    rows = list(queryset[(page - 1) * size : page * size + 1])
    return rows[:size], len(rows) > size


# Waiting-work badges count up to this and show "99+" beyond: an exact COUNT of a big table is not worth it.
BADGE_CAP = 99


def capped_count(queryset: QuerySet[Any], cap: int = BADGE_CAP) -> int:
    """COUNT of at most cap + 1 rows (one query that stops early): enough to show 'cap+'."""
    return queryset.order_by()[: cap + 1].count()
