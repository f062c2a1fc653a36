"""Bulk reads and writes of customers for importers (set-based, a few queries per batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models, transaction

from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.core.text import search_key
from haumai.customers.models import (
    Address,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Customer,
    Identity,
    IdentityKind,
    Province,
    Ward,
)

BATCH_SIZE = 5000
CUSTOMER_CODE_PREFIX = "CUS"
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")
_WARD_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ")
T = TypeVar("T")


@dataclass(frozen=True)
class AddressRecord:
    """A street address in the 2025 two-level units."""

    province_id: int
    ward_id: int | None
    street: str


@dataclass
class CustomerRecord:
    """One customer to create or update; None means 'not given, keep what is stored'."""

    full_name: str
    phone: str | None = None
    external_id: str | None = None
    email: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None
    address: AddressRecord | None = None
    marketing_consent: bool | None = None
    customer_id: int | None = None


@dataclass(frozen=True)
class StoredCustomer:
    """The stored fields an importer compares against."""

    id: int
    code: str
    external_id: str | None
    phone: str | None
    full_name: str
    email: str | None
    birth_date: dt.date | None
    gender: str


@dataclass
class UpsertCounts:
    """How many records were created, changed or already up to date."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


def uses_copy() -> bool:
    """True on PostgreSQL, where big inserts go through COPY (several times faster than INSERT)."""
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Take `count` primary keys from a PostgreSQL table's id sequence."""
    if count < 1:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_into(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows (values in the order of `fields`) with PostgreSQL binary COPY; no model code runs."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(_column(field)) for field in model_fields)
    table = connection.ops.quote_name(meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types([_binary_type(field) for field in model_fields])
        for row in rows:
            copy.write_row(row)


_BINARY_TYPES = {
    "bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool",
    "timestamp with time zone": "timestamptz", "date": "date", "jsonb": "jsonb", "text": "text",
}  # fmt: skip


def _binary_type(model_field: Any) -> str:
    db_type = str(model_field.db_type(connection))
    if db_type.startswith("varchar"):
        return "text"  # same wire format as varchar
    return _BINARY_TYPES[db_type]


def select_in(
    model: type[models.Model], fields: Sequence[str], column: str, wanted: Collection[Any]
) -> list[tuple[Any, ...]]:
    """Rows (values of `fields`) whose `column` is one of `wanted`; one array query on PostgreSQL.

    Django's `__in` with tens of thousands of values spends seconds building SQL; `= ANY(array)`
    sends the values as one parameter.
    """
    if not wanted:
        return []
    if not uses_copy():
        rows: list[tuple[Any, ...]] = []
        for part in chunked(sorted(wanted), 2000):
            rows.extend(model.objects.filter(**{f"{column}__in": part}).values_list(*fields))  # type: ignore[attr-defined]
        return rows
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(meta.get_field(name))) for name in fields)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608 - names come from model metadata
        f"WHERE {quote(_column(meta.get_field(column)))} = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(wanted)])
        return [tuple(row) for row in cursor.fetchall()]


def _column(model_field: Any) -> str:
    return str(model_field.column)


def chunked(items: Sequence[T], size: int = 2000) -> Iterator[Sequence[T]]:
    """Slices of at most `size` items (keeps IN lists within database limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


_STORED_FIELDS = ("id", "code", "external_id", "phone", "full_name", "email", "birth_date", "gender")


def find_customers(
    *, external_ids: Collection[str] = (), phones: Collection[str] = ()
) -> tuple[dict[str, StoredCustomer], dict[str, StoredCustomer]]:
    """Stored customers by external id and by E.164 phone."""
    by_external = {v[2]: StoredCustomer(*v) for v in select_in(Customer, _STORED_FIELDS, "external_id", external_ids)}
    by_phone = {v[3]: StoredCustomer(*v) for v in select_in(Customer, _STORED_FIELDS, "phone", phones)}
    return by_external, by_phone


def customer_ids_by_phone(phones: Collection[str]) -> dict[str, int]:
    """Map E.164 phones to the ids of the customers that own them."""
    return dict(select_in(Customer, ("phone", "id"), "phone", phones))


def province_lookup() -> dict[str, int]:
    """Province ids keyed by code, folded name (with or without 'Thành phố'/'Tỉnh') and codename."""
    lookup: dict[str, int] = {}
    for code, name, codename in Province.objects.values_list("code", "name", "codename"):
        key = search_key(name)
        for variant in (str(code), key, _strip(key, _PROVINCE_PREFIXES), codename, codename.replace("_", " ")):
            lookup.setdefault(variant, code)
    return lookup


def ward_lookup(province_ids: Collection[int]) -> dict[tuple[int, str], int]:
    """Ward ids keyed by (province id, code or folded name with or without 'Phường'/'Xã')."""
    lookup: dict[tuple[int, str], int] = {}
    rows = Ward.objects.filter(province_id__in=list(province_ids)).values_list("code", "province_id", "search_key")
    for code, province_id, key in rows:
        for variant in (str(code), key, _strip(key, _WARD_PREFIXES)):
            lookup.setdefault((province_id, variant), code)
    return lookup


def normalize_place(raw: str) -> str:
    """Fold a province or ward name the way the lookups are keyed."""
    key = search_key(raw).replace("_", " ")
    return key.lstrip("0") if key.isdigit() else key


def _strip(key: str, prefixes: Iterable[str]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@transaction.atomic
def upsert_customers(*, records: Sequence[CustomerRecord], source: str = "import") -> UpsertCounts:
    """Create new customers and update the stored ones (customer_id set); never erase with blanks."""
    counts = UpsertCounts()
    new = [r for r in records if r.customer_id is None]
    existing = [r for r in records if r.customer_id is not None]
    changed_ids = _update_existing(existing)
    created_ids = _create_new(new)
    ids = [r.customer_id for r in records if r.customer_id is not None]
    touched = _write_addresses(records) | _write_consents(records, source)
    counts.created = len(created_ids)
    counts.updated = len((changed_ids | touched) - set(created_ids))
    counts.unchanged = len(existing) - counts.updated
    counts.ids = ids
    return counts


def create_customers_for_phones(*, people: dict[str, str]) -> dict[str, int]:
    """Create a customer for each E.164 phone (with a name) and return phone -> id."""
    records = [CustomerRecord(full_name=name, phone=phone) for phone, name in people.items()]
    _create_new(records)
    return {r.phone: r.customer_id for r in records if r.phone and r.customer_id is not None}


def _create_new(records: Sequence[CustomerRecord]) -> list[int]:
    if not records:
        return []
    codes = next_codes(CUSTOMER_CODE_PREFIX, len(records))
    if uses_copy():
        return _copy_new(records, codes)
    customers = [
        Customer(
            code=code,
            full_name=r.full_name,
            search_key=search_key(r.full_name),
            phone=r.phone,
            email=r.email,
            birth_date=r.birth_date,
            gender=r.gender or "",
            external_id=r.external_id,
        )
        for code, r in zip(codes, records, strict=True)
    ]
    Customer.objects.bulk_create(customers, batch_size=BATCH_SIZE)
    if any(c.pk is None for c in customers):  # databases that do not return ids from bulk inserts
        ids = dict(Customer.objects.filter(code__in=codes).values_list("code", "id"))
        for customer in customers:
            customer.pk = ids[customer.code]
    for record, customer in zip(records, customers, strict=True):
        record.customer_id = customer.pk
    identities = [Identity(customer_id=c.pk, kind=IdentityKind.PHONE, value=c.phone) for c in customers if c.phone] + [
        Identity(customer_id=c.pk, kind=IdentityKind.EMAIL, value=c.email) for c in customers if c.email
    ]
    Identity.objects.bulk_create(identities, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return [c.pk for c in customers]


_COPY_FIELDS = (
    "id", "code", "full_name", "search_key", "phone", "email", "birth_date", "gender",
    "preferred_language", "preferred_channel", "external_id", "created_at", "updated_at",
)  # fmt: skip


def _copy_new(records: Sequence[CustomerRecord], codes: list[str]) -> list[int]:
    ids = reserve_ids(Customer, len(records))
    moment = clock.now()
    rows = []
    for record, code, customer_id in zip(records, codes, ids, strict=True):
        record.customer_id = customer_id
        rows.append(
            (
                customer_id, code, record.full_name, search_key(record.full_name), record.phone, record.email,
                record.birth_date, record.gender or "", "vi", "", record.external_id, moment, moment,
            )
        )  # fmt: skip
    copy_into(Customer, _COPY_FIELDS, rows)
    pairs = [(customer_id, IdentityKind.PHONE, r.phone) for r, customer_id in zip(records, ids, strict=True) if r.phone]
    pairs += [
        (customer_id, IdentityKind.EMAIL, r.email) for r, customer_id in zip(records, ids, strict=True) if r.email
    ]
    _insert_identities(pairs, moment)
    return ids


def _insert_identities(pairs: Sequence[tuple[int, str, str]], moment: dt.datetime) -> None:
    """Add identities (customer id, kind, value) unless that kind + value is already someone's."""
    if not pairs:
        return
    customer_ids, kinds, identity_values = (list(column) for column in zip(*pairs, strict=True))
    table = connection.ops.quote_name(Identity._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (customer_id, kind, value, created_at) "  # noqa: S608 - model metadata
            "SELECT customer_id, kind, value, %s FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
            "AS new(customer_id, kind, value) ON CONFLICT (kind, value) DO NOTHING",
            [moment, customer_ids, kinds, identity_values],
        )


_UPDATABLE = ("full_name", "phone", "external_id", "email", "birth_date", "gender")


def _update_existing(records: Sequence[CustomerRecord]) -> set[int]:
    if not records:
        return set()
    by_id: dict[int, CustomerRecord] = {r.customer_id: r for r in records if r.customer_id is not None}
    changed: list[Customer] = []
    fields: set[str] = set()
    for part in chunked(sorted(by_id)):
        for customer in Customer.objects.filter(pk__in=part).only("id", *_UPDATABLE):
            record = by_id[customer.pk]
            dirty = False
            for name in _UPDATABLE:
                wanted = getattr(record, name)
                if wanted is not None and wanted != "" and wanted != getattr(customer, name):
                    setattr(customer, name, wanted)
                    fields.add(name)
                    dirty = True
            if dirty:
                if "full_name" in fields:
                    customer.search_key = search_key(customer.full_name)
                    fields.add("search_key")
                changed.append(customer)
    if changed:
        moment = clock.now()
        for customer in changed:
            customer.updated_at = moment
        Customer.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=1000)
        new_identities = [
            Identity(customer_id=c.pk, kind=IdentityKind.PHONE, value=c.phone) for c in changed if c.phone
        ]
        Identity.objects.bulk_create(new_identities, ignore_conflicts=True)
    return {c.pk for c in changed}


def _write_addresses(records: Sequence[CustomerRecord]) -> set[int]:
    wanted = [(r.customer_id, r.address) for r in records if r.address is not None and r.customer_id]
    if not wanted:
        return set()
    stored: set[tuple[Any, ...]] = set()
    has_address: set[int] = set()
    for part in chunked(sorted({cid for cid, _ in wanted})):
        for customer_id, province_id, ward_id, street in Address.objects.filter(customer_id__in=part).values_list(
            "customer_id", "province_id", "ward_id", "street"
        ):
            stored.add((customer_id, province_id, ward_id, search_key(street)))
            has_address.add(customer_id)
    new: list[Address] = []
    for customer_id, address in wanted:
        assert address is not None and customer_id is not None
        key = (customer_id, address.province_id, address.ward_id, search_key(address.street))
        if key in stored:
            continue
        stored.add(key)
        new.append(
            Address(
                customer_id=customer_id,
                province_id=address.province_id,
                ward_id=address.ward_id,
                street=address.street,
                is_default=customer_id not in has_address,
            )
        )
        has_address.add(customer_id)
    Address.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return {a.customer_id for a in new}


def _write_consents(records: Sequence[CustomerRecord], source: str) -> set[int]:
    wanted = {r.customer_id: r.marketing_consent for r in records if r.marketing_consent is not None}
    if not wanted:
        return set()
    stored: dict[tuple[int, str], bool] = {}
    for part in chunked(sorted(k for k in wanted if k is not None)):
        rows = Consent.objects.filter(customer_id__in=part, purpose=ConsentPurpose.MARKETING).values_list(
            "customer_id", "channel", "granted"
        )
        stored.update({(customer_id, channel): granted for customer_id, channel, granted in rows})
    moment = clock.now()
    changes = [
        Consent(
            customer_id=customer_id,
            purpose=ConsentPurpose.MARKETING,
            channel=channel,
            granted=granted,
            source=source,
            recorded_at=moment,
        )
        for customer_id, granted in wanted.items()
        if customer_id is not None
        for channel in ConsentChannel.values
        if stored.get((customer_id, channel)) != granted
    ]
    Consent.objects.bulk_create(
        changes,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["customer", "purpose", "channel"],
        update_fields=["granted", "source", "recorded_at"],
    )
    return {c.customer_id for c in changes}
