"""What each role may do: Django permission codenames per role group."""

from __future__ import annotations

VIEW_CORE = [
    "customers.view_customer",
    "customers.view_identity",
    "customers.view_address",
    "customers.view_consent",
    "catalog.view_product",
    "catalog.view_category",
    "catalog.view_unit",
    "sales.view_order",
    "sales.view_orderline",
    "sales.view_channel",
    "sales.view_store",
    "events.view_event",
]
STOCK_VIEW = ["inventory.view_warehouse", "inventory.view_stocklevel", "inventory.view_stockmove"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "agent": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "customers.view_customer_pii",
        "customers.add_customer",
        "customers.change_customer",
        "sales.add_order",
        "sales.change_order",
    ],
    "technician": [*VIEW_CORE, *STOCK_VIEW, "customers.view_customer_pii"],
    "warehouse": [*VIEW_CORE, *STOCK_VIEW, "inventory.add_stockmove"],
    "manager": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "customers.view_customer_pii",
        "customers.add_customer",
        "customers.change_customer",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_unit",
        "catalog.change_unit",
        "sales.add_order",
        "sales.change_order",
        "inventory.add_stockmove",
        "integrations.add_importrun",
        "integrations.view_importrun",
    ],
    # Admins get every permission (see accounts.services.sync_roles).
    "admin": [],
}

APPROVAL_LIMITS_VND = {"agent": 500_000, "technician": 0, "warehouse": 0, "manager": 10_000_000, "admin": 100_000_000}
