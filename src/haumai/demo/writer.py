"""Fast row writer for seeding: COPY on PostgreSQL, executemany on SQLite.

Demo rows carry explicit primary keys (so the generator can link rows without round trips) and
explicit timestamps (auto_now/auto_now_add would stamp every row "now"). The sequences are moved
past the inserted ids at the end (`reset_sequences`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from haumai.catalog.models import Unit
from haumai.customers.models import Address, Consent, Customer, Identity
from haumai.events.models import Event
from haumai.inventory.models import StockLevel, StockMove
from haumai.payments.models import Payment
from haumai.sales.models import Order, OrderLine


@dataclass(frozen=True)
class Table:
    """A model and the database columns the generator fills, in tuple order."""

    model: type[models.Model]
    columns: tuple[str, ...]

    @cached_property
    def name(self) -> str:
        return self.model._meta.db_table

    def check_columns(self) -> None:
        """Fail early when the model and the generator disagree about columns."""
        known = {field.column for field in self.model._meta.concrete_fields}
        unknown = [column for column in self.columns if column not in known]
        if unknown:
            raise RuntimeError(f"{self.name}: unknown columns {unknown}")
        missing = [
            field.column for field in self.model._meta.concrete_fields
            if field.column not in self.columns and not field.null and not field.has_default()
        ]
        if missing:
            raise RuntimeError(f"{self.name}: required columns not filled {missing}")


CUSTOMER = Table(Customer, (
    "id", "code", "full_name", "search_key", "phone", "email", "birth_date", "gender",
    "preferred_language", "preferred_channel", "external_id", "created_at", "updated_at",
))
IDENTITY = Table(Identity, ("id", "customer_id", "kind", "value", "verified_at", "created_at"))
ADDRESS = Table(Address, (
    "id", "customer_id", "label", "recipient_name", "phone", "street", "ward_id", "province_id", "is_default",
))
CONSENT = Table(Consent, ("id", "customer_id", "purpose", "channel", "granted", "source", "recorded_at"))
UNIT = Table(Unit, ("id", "product_id", "serial", "imei", "status", "created_at"))
ORDER = Table(Order, (
    "id", "code", "channel_id", "external_id", "customer_id", "store_id", "status", "placed_at",
    "delivered_at", "total", "payment_method", "content_hash", "created_at", "updated_at",
))
ORDER_LINE = Table(OrderLine, ("id", "order_id", "product_id", "unit_id", "quantity", "unit_price", "line_total"))
EVENT = Table(Event, (
    "id", "name", "occurred_at", "customer_id", "subject_type", "subject_id", "actor_id", "actor_label",
    "payload", "due_at", "dispatched_at",
))
STOCK_MOVE = Table(StockMove, (
    "id", "product_id", "warehouse_id", "grade", "quantity", "reason", "reference", "unit_id", "actor_id",
    "created_at",
))
PAYMENT = Table(Payment, (
    "id", "order_id", "method", "amount_vnd", "refunded_vnd", "provider_transaction_ref", "provider_transaction_no",
    "transaction_date", "paid_at", "idempotency_key", "created_at",
))
STOCK_LEVEL = Table(StockLevel, ("id", "product_id", "warehouse_id", "grade", "quantity", "updated_at"))

# Insert order respects foreign keys (SQLite checks them per statement).
TABLES: tuple[Table, ...] = (
    CUSTOMER, IDENTITY, ADDRESS, CONSENT, UNIT, STOCK_MOVE, STOCK_LEVEL, ORDER, ORDER_LINE, PAYMENT, EVENT,
)

Rows = dict[str, list[tuple[Any, ...]]]


def next_ids() -> dict[str, int]:
    """The first free primary key of every demo table."""
    return {
        table.name: (table.model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for table in TABLES
    }


def write_rows(rows: Rows) -> int:
    """Insert generated rows table by table (call inside a transaction); return how many rows."""
    total = 0
    for table in TABLES:
        batch = rows.get(table.name)
        if not batch:
            continue
        if connection.vendor == "postgresql":
            _copy(table, batch)
        else:
            _executemany(table, batch)
        total += len(batch)
    return total


# PostgreSQL binary COPY type per Django field type (binary COPY spares the server all text parsing).
_PG_TYPES = {
    "AutoField": "int4", "BigAutoField": "int8", "BigIntegerField": "int8", "IntegerField": "int4",
    "PositiveIntegerField": "int4", "PositiveBigIntegerField": "int8", "SmallIntegerField": "int2",
    "PositiveSmallIntegerField": "int2", "CharField": "text", "SlugField": "text", "EmailField": "text",
    "TextField": "text", "DateTimeField": "timestamptz", "DateField": "date", "BooleanField": "bool",
    "JSONField": "jsonb",
}


def _pg_types(table: Table) -> list[str]:
    types = []
    for column in table.columns:
        field = next(f for f in table.model._meta.concrete_fields if f.column == column)
        if isinstance(field, models.ForeignKey):
            field = field.target_field
        types.append(_PG_TYPES[field.get_internal_type()])
    return types


def _copy(table: Table, batch: Sequence[tuple[Any, ...]]) -> None:
    from psycopg.types.json import Jsonb

    json_positions = _json_positions(table)
    columns = ", ".join(connection.ops.quote_name(column) for column in table.columns)
    sql = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(sql) as copy:
            copy.set_types(_pg_types(table))
            write_row = copy.write_row
            if json_positions:
                for row in batch:
                    values = list(row)
                    for position in json_positions:
                        values[position] = Jsonb(values[position])
                    write_row(values)
            else:
                for row in batch:
                    write_row(row)


def _executemany(table: Table, batch: Sequence[tuple[Any, ...]]) -> None:
    json_positions = _json_positions(table)
    columns = ", ".join(connection.ops.quote_name(column) for column in table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    # Table and column names come from model metadata, never from input.
    sql = f"INSERT INTO {connection.ops.quote_name(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_for_sqlite(row, json_positions) for row in batch])


def _json_positions(table: Table) -> tuple[int, ...]:
    json_columns = {
        field.column for field in table.model._meta.concrete_fields if isinstance(field, models.JSONField)
    }
    return tuple(i for i, column in enumerate(table.columns) if column in json_columns)


def _for_sqlite(row: tuple[Any, ...], json_positions: tuple[int, ...]) -> tuple[Any, ...]:
    # Same text forms Django's SQLite backend writes: naive UTC datetimes, ISO dates.
    values = []
    for position, value in enumerate(row):
        if isinstance(value, dt.datetime):
            value = str(value.astimezone(dt.UTC).replace(tzinfo=None))
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif position in json_positions:
            value = json.dumps(value, ensure_ascii=False)
        values.append(value)
    return tuple(values)


@dataclass(frozen=True)
class _SecondaryIndex:
    table: str
    index: str
    definition: str  # CREATE INDEX ... (plain index) or the constraint definition
    constraint: str  # constraint name for unique constraints, "" for plain indexes


# Leading index columns whose values the loader writes in ascending order (ids, codes and sign-up
# times grow with the customer index): such indexes only ever append, so they stay during the load.
SEQUENTIAL_COLUMNS: dict[str, tuple[str, ...]] = {
    CUSTOMER.name: ("code", "created_at"),
    IDENTITY.name: ("customer_id",),
    ADDRESS.name: ("customer_id",),
    CONSENT.name: ("customer_id",),
    ORDER.name: ("customer_id",),
    ORDER_LINE.name: ("order_id", "unit_id"),
    PAYMENT.name: ("order_id",),
    EVENT.name: ("customer_id",),
}


@contextmanager
def deferred_indexes(tables: Sequence[Table]) -> Iterator[None]:
    """PostgreSQL: drop the secondary indexes of `tables` now and build them again at the end.

    Building an index once over a million rows costs a fraction of maintaining it row by row
    (random keys, trigram GIN indexes); indexes on ascending keys are kept (SEQUENTIAL_COLUMNS). Must
    run inside a transaction: DDL is transactional in PostgreSQL, so a failure anywhere restores
    the indexes with everything else. The tables stay locked (ACCESS EXCLUSIVE) until commit.
    Unique constraints come back as constraints, so a duplicate would fail the whole load.
    """
    if connection.vendor != "postgresql" or not tables:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_indexes() must run inside transaction.atomic()")
    quote = connection.ops.quote_name
    dropped: list[_SecondaryIndex] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                """
                SELECT index_class.relname, pg_get_indexdef(i.indexrelid), coalesce(con.conname, ''),
                       coalesce(pg_get_constraintdef(con.oid), ''), pg_get_indexdef(i.indexrelid, 1, true)
                FROM pg_index i
                JOIN pg_class index_class ON index_class.oid = i.indexrelid
                LEFT JOIN pg_constraint con
                       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype = 'u'
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                ORDER BY index_class.relname
                """,
                [table.name],
            )
            for index, index_definition, constraint, constraint_definition, leading in cursor.fetchall():
                if leading in SEQUENTIAL_COLUMNS.get(table.name, ()):
                    continue  # keys arrive in ascending order: appending is cheap, keep maintaining it
                if constraint:
                    dropped.append(_SecondaryIndex(table.name, index, constraint_definition, constraint))
                    cursor.execute(f"ALTER TABLE {quote(table.name)} DROP CONSTRAINT {quote(constraint)}")
                else:
                    dropped.append(_SecondaryIndex(table.name, index, index_definition, ""))
                    cursor.execute(f"DROP INDEX {quote(index)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
        for item in dropped:
            if item.constraint:
                cursor.execute(
                    f"ALTER TABLE {quote(item.table)} ADD CONSTRAINT {quote(item.constraint)} {item.definition}"
                )
            else:
                cursor.execute(item.definition)


def empty_tables(tables: Sequence[Table]) -> list[Table]:
    """The tables that have no rows yet (cheap to index from scratch)."""
    return [table for table in tables if not table.model._default_manager.exists()]


def reset_sequences() -> None:
    """Move id sequences past the explicitly inserted ids (no-op on SQLite, which tracks them)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in TABLES])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
