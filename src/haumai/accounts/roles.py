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
CARE_VIEW = [
    "messaging.view_template",
    "messaging.view_delivery",
    "journeys.view_journey",
    "journeys.view_journeyrun",
    "journeys.view_caretask",
    "journeys.change_caretask",
]
RETURNS_VIEW = [
    "returns.view_returnrequest",
    "returns.view_returnpolicy",
    "shipping.view_shipment",
    "payments.view_payment",
    "payments.view_refund",
]
RETURNS_AGENT = [
    "returns.add_returnrequest",
    "returns.change_returnrequest",
    "returns.approve_returnrequest",
    "returns.override_eligibility",
    "shipping.add_shipment",
    "payments.add_refund",
]
WARRANTY_VIEW = [
    "warranty.view_warranty",
    "warranty.view_claim",
    "warranty.view_warrantypolicy",
    "warranty.view_extendedplan",
    "warranty.view_extendedcoverage",
]
WARRANTY_AGENT = [
    "warranty.add_claim",
    "warranty.activate_warranty",
    "warranty.add_extendedcoverage",
    "warranty.change_extendedcoverage",
]
CARE_MANAGE = [
    "messaging.add_template",
    "messaging.change_template",
    "messaging.resolve_delivery",
    "journeys.add_journey",
    "journeys.change_journey",
    "returns.add_returnpolicy",
    "returns.change_returnpolicy",
]

# Data-subject requests (haumai.privacy): agents take them on the customer's behalf; managers verify,
# process and erase.
PRIVACY_AGENT = ["privacy.view_datarequest", "privacy.add_datarequest"]
PRIVACY_MANAGE = [*PRIVACY_AGENT, "privacy.change_datarequest", "privacy.process_datarequest", "privacy.erase_customer"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "agent": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "customers.view_customer_pii",
        "customers.add_customer",
        "customers.change_customer",
        "sales.add_order",
        "sales.change_order",
        *CARE_VIEW,
        *RETURNS_VIEW,
        *RETURNS_AGENT,
        *WARRANTY_VIEW,
        *WARRANTY_AGENT,
        *PRIVACY_AGENT,
    ],
    "technician": [*VIEW_CORE, *STOCK_VIEW, "customers.view_customer_pii", *RETURNS_VIEW, *WARRANTY_VIEW],
    "warehouse": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "inventory.add_stockmove",
        *RETURNS_VIEW,
        "returns.receive_returnrequest",
        "shipping.change_shipment",
    ],
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
        *CARE_VIEW,
        *CARE_MANAGE,
        *RETURNS_VIEW,
        *RETURNS_AGENT,
        "returns.receive_returnrequest",
        "shipping.change_shipment",
        *WARRANTY_VIEW,
        *WARRANTY_AGENT,
        "warranty.decide_claim",
        "warranty.import_warranty",
        "warranty.add_warrantypolicy",
        "warranty.change_warrantypolicy",
        *PRIVACY_MANAGE,
    ],
    # Admins get every permission (see accounts.services.sync_roles).
    "admin": [],
}

APPROVAL_LIMITS_VND = {"agent": 500_000, "technician": 0, "warehouse": 0, "manager": 10_000_000, "admin": 100_000_000}
