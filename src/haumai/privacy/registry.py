"""What personal data each app holds, and how to export, anonymize and expire it.

Every app declares its personal data in its own `<app>/privacy.py` by calling `register(...)` with a
`PersonalDataSource`; the privacy app imports those modules at start-up
(`autodiscover_modules("privacy")`), so a new app adds itself without editing the privacy app.
This module holds only the types and the registry; it imports no app.

A source says, per model, which fields hold personal data and who they are about (a customer, a
staff member, an anonymous visitor), and whether the rows stay after a deletion request for a legal
reason (orders, invoices, payments and refunds are kept for accounting with the person's data
replaced). It gives three callables:
- `export(person)`   -> an `ExportPart`: rows (plain JSON values) per table, plus files (photos);
- `anonymize(person, actor)` -> counts per table of what it replaced or removed; it runs inside the
  privacy app's transaction and is the owning app's own code, so it may write that app's models;
- retention rules: `purge(cutoff)` removes what is older than the cutoff and returns a count.

The coverage test (privacy/tests/test_registry_coverage.py) walks every model of every Haumai app
and fails when a field looks personal (see `looks_personal`) but no source declared it personal or
explicitly not personal (`not_personal`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# Tokens of a field name (split on "_") that suggest personal data. A documented heuristic: it
# errs on the side of asking, and an app answers with `not_personal` where a name is a shop's name.
PERSONAL_TOKENS = frozenset(
    {
        "phone",
        "email",
        "name",
        "address",
        "street",
        "birth",
        "note",
        "notes",
        "body",
        "payload",
        "ip",
        "photo",
        "account",
        "recipient",
        "sender",
        "destination",
        "message",
        "context",
        "username",
        "comment",
        "title",
    }
)
# Whole field names that are personal whatever their parts say (a copy of the name for search).
PERSONAL_NAMES = frozenset({"search_key", "value", "external_id", "file", "image"})
# Field types that can hold anything (free text, blobs, files) or are personal by nature.
PERSONAL_TYPES: tuple[type[models.Field[Any, Any]], ...] = (
    models.TextField,
    models.JSONField,
    models.FileField,
    models.EmailField,
    models.GenericIPAddressField,
)

SUBJECT_CUSTOMER = "customer"
SUBJECT_STAFF = "staff"
SUBJECT_VISITOR = "visitor"  # not linked to a customer (an IP address, a phone typed at login)


def field_tokens(name: str) -> set[str]:
    """The parts of a snake_case name."""
    return {part for part in name.lower().split("_") if part}


def looks_personal(model_field: models.Field[Any, Any]) -> bool:
    """Whether a concrete field may hold personal data (the coverage test's heuristic).

    Fields with fixed choices never do (their values are codes); relations are covered by the
    model they point to.
    """
    if model_field.is_relation or getattr(model_field, "choices", None):
        return False
    if isinstance(model_field, PERSONAL_TYPES):
        return True
    name = model_field.name
    return name in PERSONAL_NAMES or bool(field_tokens(name) & PERSONAL_TOKENS)


@dataclass(frozen=True)
class PersonalModel:
    """One model's personal fields and what happens to its rows on deletion."""

    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    subject: str = SUBJECT_CUSTOMER
    legal_hold: str = ""  # why rows stay (anonymized) instead of being deleted; empty = deleted or cleared
    handling: str = ""  # one line for the README/admin: what export and deletion do


@dataclass(frozen=True)
class Person:
    """Who an export or a deletion is about, with every identifier Haumai knows for them."""

    customer: Any
    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    other_identifiers: frozenset[str] = frozenset()  # Zalo ids, Facebook PSIDs, external ids

    @property
    def identifiers(self) -> frozenset[str]:
        """Phones, e-mails and other identifiers (unique to the person, safe to search for)."""
        return self.phones | self.emails | self.other_identifiers


@dataclass
class ExportPart:
    """What one app holds on a person: rows per table (JSON values) and files to include."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)  # (name inside the ZIP, absolute path)


@dataclass(frozen=True)
class RetentionRule:
    """How long one kind of data is kept; `purge(cutoff)` removes what is older and returns a count."""

    key: str  # "returns.photos"
    label: Any  # lazy translated
    setting: str  # HAUMAI_RETENTION_..._DAYS; 0 switches the rule off
    default_days: int
    purge: Callable[[dt.datetime], int]


ExportFunction = Callable[[Person], ExportPart]
AnonymizeFunction = Callable[[Person, Any], dict[str, int]]


@dataclass(frozen=True)
class PersonalDataSource:
    """One app's declaration of the personal data it holds."""

    app: str  # app label
    models: tuple[PersonalModel, ...] = ()
    not_personal: dict[str, tuple[str, ...]] = field(default_factory=dict)  # model label -> fields
    export: ExportFunction | None = None
    anonymize: AnonymizeFunction | None = None
    retention: tuple[RetentionRule, ...] = ()
    order: int = 100  # anonymization order (lower first); the customer record itself goes last


_sources: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> None:
    """Declare (or replace) an app's personal data."""
    _sources[source.app] = source


def sources() -> list[PersonalDataSource]:
    """Every registered source, in anonymization order."""
    return sorted(_sources.values(), key=lambda s: (s.order, s.app))


def declared_personal() -> dict[str, set[str]]:
    """Model label -> fields declared personal by some source."""
    result: dict[str, set[str]] = {}
    for source in _sources.values():
        for personal in source.models:
            result.setdefault(personal.model, set()).update(personal.fields)
    return result


def declared_not_personal() -> dict[str, set[str]]:
    """Model label -> fields declared not personal by some source."""
    result: dict[str, set[str]] = {}
    for source in _sources.values():
        for label, names in source.not_personal.items():
            result.setdefault(label, set()).update(names)
    return result


def retention_rules() -> list[RetentionRule]:
    """Every registered retention rule."""
    return [rule for source in sources() for rule in source.retention]


def json_value(value: Any) -> Any:
    """A model value as plain JSON (times in ISO 8601 UTC, files by name)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def rows(queryset: Any, fields: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """Rows of a queryset as JSON dicts of the given fields (`values()` names, e.g. "order__code")."""
    return [{name: json_value(item[name]) for name in fields} for item in queryset.values(*fields)]
