"""Inventory holds no personal data; a warehouse's name, street and phone are the business's (haumai.privacy)."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(PersonalDataSource(app="inventory", not_personal={"inventory.Warehouse": ("name", "street", "phone")}))
