"""Human-readable public codes: ORD-2026-000123, RMA-2026-000001, CUS-2026-000042.

Numbers count per prefix and year. On PostgreSQL each (prefix, year) has its own database sequence
(`core_code_ord_2026`): `nextval` takes no row lock, so parallel creates never wait for each other, and
a number taken by a transaction that rolls back is not reused, so codes can have gaps. On SQLite,
which has one writer at a time anyway, the counter row in `CodeSequence` gives consecutive numbers.
A sequence created on a database that already has a counter row starts after that row's last value.
"""

from __future__ import annotations

import re

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F

from haumai.core import clock
from haumai.core.models import CodeSequence

_PREFIX = re.compile(r"^[A-Z0-9]{1,8}$")
_NEXT_VALUES = (
    "SELECT CASE WHEN to_regclass(%s) IS NOT NULL THEN nextval(%s::text::regclass) END FROM generate_series(1, %s)"
)


def format_code(prefix: str, year: int, number: int) -> str:
    """Format a code from its parts."""
    return f"{prefix}-{year}-{number:06d}"


def next_codes(prefix: str, count: int = 1, year: int | None = None) -> list[str]:
    """Reserve `count` codes, in increasing order (consecutive on SQLite; safe across processes)."""
    if count < 1:
        return []
    if not _PREFIX.match(prefix):
        raise ValueError(f"a code prefix is 1-8 capital letters or digits, not {prefix!r}")
    year = year or clock.today().year
    if connection.vendor == "postgresql":
        numbers = _sequence_numbers(prefix, year, count)
    else:
        numbers = _counter_numbers(prefix, year, count)
    return [format_code(prefix, year, n) for n in numbers]


def next_code(prefix: str, year: int | None = None) -> str:
    """Reserve one code."""
    return next_codes(prefix, 1, year)[0]


def sequence_name(prefix: str, year: int) -> str:
    """The PostgreSQL sequence behind a prefix and year."""
    return f"core_code_{prefix.lower()}_{year}"


def reset_codes() -> None:
    """Start every prefix at 1 again; for a database emptied by hand (tests, demo resets)."""
    CodeSequence.objects.all().delete()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND c.relname LIKE 'core\\_code\\_%%' AND n.nspname = current_schema()"
        )


def _sequence_numbers(prefix: str, year: int, count: int) -> list[int]:
    name = sequence_name(prefix, year)
    with connection.cursor() as cursor:
        for _attempt in range(2):
            # One round trip; a missing sequence gives NULLs (the cast runs only when it exists), not an error
            # that would abort the caller's transaction.
            cursor.execute(_NEXT_VALUES, [name, name, count])
            numbers = [row[0] for row in cursor.fetchall()]
            if numbers[0] is not None:
                return sorted(numbers)
            _create_sequence(prefix, year, name)
    raise DatabaseError(f"the code sequence {name} could not be created")


def _create_sequence(prefix: str, year: int, name: str) -> None:
    last = CodeSequence.objects.filter(prefix=prefix, year=year).values_list("last_value", flat=True).first()
    start = (last or 0) + 1
    try:
        # A savepoint: a concurrent creator of the same sequence must not abort the caller's transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" START WITH {start:d} MINVALUE 1')
    except IntegrityError:
        pass  # another transaction created it first; its creation blocked ours until it committed


def _counter_numbers(prefix: str, year: int, count: int) -> list[int]:
    with transaction.atomic():
        updated = CodeSequence.objects.filter(prefix=prefix, year=year).update(last_value=F("last_value") + count)
        if not updated:
            try:
                with transaction.atomic():
                    CodeSequence.objects.create(prefix=prefix, year=year, last_value=count)
            except IntegrityError:
                CodeSequence.objects.filter(prefix=prefix, year=year).update(last_value=F("last_value") + count)
        last = CodeSequence.objects.values_list("last_value", flat=True).get(prefix=prefix, year=year)
    return list(range(last - count + 1, last + 1))
