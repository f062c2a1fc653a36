"""Human-readable public codes: ORD-2026-000123, RMA-2026-000001, CUS-2026-000042."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from haumai.core import clock
from haumai.core.models import CodeSequence


def format_code(prefix: str, year: int, number: int) -> str:
    """Format a code from its parts."""
    return f"{prefix}-{year}-{number:06d}"


def next_codes(prefix: str, count: int = 1, year: int | None = None) -> list[str]:
    """Reserve `count` consecutive codes atomically (safe across processes)."""
    if count < 1:
        return []
    year = year or clock.today().year
    with transaction.atomic():
        updated = CodeSequence.objects.filter(prefix=prefix, year=year).update(last_value=F("last_value") + count)
        if not updated:
            try:
                with transaction.atomic():
                    CodeSequence.objects.create(prefix=prefix, year=year, last_value=count)
            except IntegrityError:
                CodeSequence.objects.filter(prefix=prefix, year=year).update(last_value=F("last_value") + count)
        last = CodeSequence.objects.values_list("last_value", flat=True).get(prefix=prefix, year=year)
    first = last - count + 1
    return [format_code(prefix, year, n) for n in range(first, last + 1)]


def next_code(prefix: str, year: int | None = None) -> str:
    """Reserve one code."""
    return next_codes(prefix, 1, year)[0]
