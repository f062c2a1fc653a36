"""Inventory holds no personal data; a warehouse's name, street and phone are the business's, and a transfer's
note is a staff note about stock between two warehouses (haumai.privacy)."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="inventory",
        not_personal={"inventory.Warehouse": ("name", "street", "phone"), "inventory.Transfer": ("note",)},
    )
)
