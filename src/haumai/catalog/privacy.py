"""The catalog holds no personal data; these fields only look like it (haumai.privacy)."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="catalog",
        not_personal={"catalog.Category": ("name",), "catalog.Product": ("name", "search_key")},
    )
)
