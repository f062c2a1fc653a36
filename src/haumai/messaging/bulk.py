"""Writing many rows' own values in one statement.

Django's `bulk_update` builds a CASE WHEN per field and row, which costs ~2 ms of Python per row for
the worker's 7 fields. On PostgreSQL this sends one `UPDATE ... FROM (VALUES ...)` instead; other
databases keep `bulk_update`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

CHUNK = 1000


def update_rows(model: type[Model], rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Save `fields` of every row (each row its own values), in one statement per 1,000 rows."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(rows, list(fields), batch_size=CHUNK)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns = [cast(Field[Any, Any], meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f"v_{field.column}") for field in [pk, *columns])
    sets = ", ".join(
        f"{quote(field.column)} = v.{quote('v_' + field.column)}::{field.db_type(connection)}"
        for field in columns
    )
    key = f"t.{quote(pk.column)} = v.{quote('v_' + pk.column)}::{pk.db_type(connection)}"
    row_sql = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params: list[Any] = []
            for row in chunk:
                params.append(pk.get_db_prep_save(row.pk, connection))
                params += [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
            values = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                # Identifiers are quoted names of our model; every value is a parameter.
                f"UPDATE {quote(meta.db_table)} AS t SET {sets} FROM (VALUES {values}) AS v ({names}) WHERE {key}",  # noqa: S608
                params,
            )
