"""Benchmark databases: created by `make bench`, and only those are ever dropped by it.

A database this module creates carries a comment (MARK). Recreating a database that exists without the
mark is refused with a message, so a benchmark pointed at a shared or real database cannot wipe it.
"""

from __future__ import annotations

from urllib.parse import urlparse

MARK = "created by haumai make bench; safe to drop"
RESERVED = {"", "postgres", "template0", "template1"}


def _admin_connection(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def database_name(url: str) -> str:
    """The database of a postgres:// URL, refusing the server's own databases."""
    name = urlparse(url).path.lstrip("/")
    if name in RESERVED:
        raise SystemExit(f"refusing to use database {name!r} for a benchmark")
    return name


def created_by_bench(url: str) -> bool | None:
    """True when the database carries the mark, False when it exists without it, None when absent."""
    name = database_name(url)
    with _admin_connection(url) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is None:
        return None
    return row[0] == MARK


def ensure_database(url: str) -> None:
    """Create the database (marked) when it does not exist; an existing one is reused as it is."""
    if created_by_bench(url) is None:
        _create(url)


def recreate_database(url: str) -> None:
    """Drop and create a benchmark database; refuses one that `make bench` did not create."""
    name = database_name(url)
    state = created_by_bench(url)
    if state is False:
        raise SystemExit(
            f"database {name!r} exists and was not created by make bench; refusing to drop it "
            "(drop it yourself, or point the benchmark at another database)"
        )
    if state:
        with _admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    _create(url)


def _create(url: str) -> None:
    name = database_name(url)
    with _admin_connection(url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{MARK}'")
