"""Bulk reads and writes of categories, products and units for importers."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils.text import slugify
from unidecode import unidecode

from haumai.catalog.models import Category, Product, Unit, UnitStatus
from haumai.core import clock
from haumai.core.text import search_key
from haumai.customers.bulk import copy_into, reserve_ids, select_in, uses_copy

BATCH_SIZE = 5000
T = TypeVar("T")


def chunked(items: Sequence[T], size: int = 2000) -> Iterator[Sequence[T]]:
    """Slices of at most `size` items (keeps IN lists within database limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class UpsertCounts:
    """How many products were created, changed or already up to date."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ProductRecord:
    """One product to create or update by SKU; None means 'not given, keep what is stored'."""

    sku: str
    name: str
    brand: str | None = None
    category: str | None = None
    price: int | None = None
    is_serialized: bool | None = None
    warranty_months: int | None = None
    warranty_start: str | None = None
    return_days: int | None = None


@dataclass(frozen=True)
class ProductRef:
    """What an order importer needs to know about a SKU."""

    id: int
    sku: str
    is_serialized: bool
    price: int


@dataclass(frozen=True)
class UnitRef:
    """A stored serialised unit."""

    id: int
    serial: str
    imei: str | None
    product_id: int
    status: str


def product_refs(skus: Collection[str]) -> dict[str, ProductRef]:
    """Products by SKU (one query per 5,000 SKUs)."""
    rows = select_in(Product, ("id", "sku", "is_serialized", "price"), "sku", skus)
    return {values[1]: ProductRef(*values) for values in rows}


def units_by_serial_or_imei(
    *, serials: Collection[str], imeis: Collection[str]
) -> tuple[dict[str, UnitRef], dict[str, UnitRef]]:
    """Stored units by serial and by IMEI."""
    fields = ("id", "serial", "imei", "product_id", "status")
    by_serial = {values[1]: UnitRef(*values) for values in select_in(Unit, fields, "serial", serials)}
    by_imei = {values[2]: UnitRef(*values) for values in select_in(Unit, fields, "imei", imeis)}
    return by_serial, by_imei


def record_sold_units(*, new_units: Sequence[tuple[int, str, str | None]], sold_ids: Collection[int]) -> dict[str, int]:
    """Create units (product id, serial, imei) as sold, mark stored units sold; return serial -> id."""
    if uses_copy():
        ids = reserve_ids(Unit, len(new_units))
        moment = clock.now()
        copy_into(
            Unit,
            ("id", "product_id", "serial", "imei", "status", "created_at"),
            (
                (unit_id, product_id, serial, imei or None, UnitStatus.SOLD, moment)
                for unit_id, (product_id, serial, imei) in zip(ids, new_units, strict=True)
            ),
        )
        _mark_sold(sold_ids)
        return {serial: unit_id for unit_id, (_, serial, _) in zip(ids, new_units, strict=True)}
    units = [
        Unit(product_id=product_id, serial=serial, imei=imei or None, status=UnitStatus.SOLD)
        for product_id, serial, imei in new_units
    ]
    Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
    if any(u.pk is None for u in units):
        stored = dict(Unit.objects.filter(serial__in=[u.serial for u in units]).values_list("serial", "id"))
        for unit in units:
            unit.pk = stored[unit.serial]
    _mark_sold(sold_ids)
    return {u.serial: u.pk for u in units}


def _mark_sold(unit_ids: Collection[int]) -> None:
    for part in chunked(sorted(unit_ids), 5000):
        Unit.objects.filter(pk__in=part).exclude(status=UnitStatus.SOLD).update(status=UnitStatus.SOLD)


def category_key(raw: str) -> str:
    """The slug a category name or code is matched by."""
    return slugify(unidecode(raw))[:60]


def category_ids(names: Collection[str], *, create: bool = False) -> dict[str, int]:
    """Map category names or codes (any case and diacritics) to ids; optionally create the missing."""
    wanted = {category_key(n): n for n in names if n.strip()}
    found: dict[str, int] = {}
    for category_id, code, name in Category.objects.values_list("id", "code", "name"):
        for key in (code, category_key(name)):
            if key in wanted:
                found.setdefault(key, category_id)
    missing = [Category(code=key, name=name.strip()) for key, name in wanted.items() if key not in found]
    if create and missing:
        Category.objects.bulk_create(missing)
        found.update(Category.objects.filter(code__in=[c.code for c in missing]).values_list("code", "id"))
    return {raw: found[key] for key, raw in wanted.items() if key in found}


_PRODUCT_FIELDS = ("brand", "price", "is_serialized", "warranty_months", "warranty_start", "return_days")


def stored_products(skus: Collection[str]) -> dict[str, dict[str, Any]]:
    """Stored products by SKU, as the field values an importer compares against."""
    found: dict[str, dict[str, Any]] = {}
    for part in chunked(sorted(skus), 5000):
        for values in Product.objects.filter(sku__in=part).values("id", "sku", "name", "category_id", *_PRODUCT_FIELDS):
            found[values["sku"]] = values
    return found


@transaction.atomic
def upsert_products(*, records: Sequence[ProductRecord]) -> UpsertCounts:
    """Create products with new SKUs and update stored ones; blanks never erase stored values."""
    counts = UpsertCounts()
    categories = category_ids({r.category for r in records if r.category}, create=True)
    stored = {
        p.sku: p for part in chunked(sorted(r.sku for r in records), 5000) for p in Product.objects.filter(sku__in=part)
    }
    new: list[Product] = []
    changed: list[Product] = []
    fields: set[str] = set()
    for record in records:
        product = stored.get(record.sku)
        values: dict[str, Any] = {name: getattr(record, name) for name in _PRODUCT_FIELDS}
        values["name"] = record.name
        values["category_id"] = categories.get(record.category) if record.category else None
        given = {name: value for name, value in values.items() if value is not None and value != ""}
        if product is None:
            new.append(Product(sku=record.sku, search_key=search_key(record.name), **given))
            continue
        diff = {name: value for name, value in given.items() if getattr(product, name) != value}
        if not diff:
            counts.unchanged += 1
            continue
        for name, value in diff.items():
            setattr(product, name, value)
        if "name" in diff:
            product.search_key = search_key(product.name)
            fields.add("search_key")
        fields.update(diff)
        changed.append(product)
    Product.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        moment = clock.now()
        for product in changed:
            product.updated_at = moment
        Product.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=1000)
    counts.created = len(new)
    counts.updated = len(changed)
    return counts
