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
STOCK_VIEW = [
    "inventory.view_warehouse",
    "inventory.view_stocklevel",
    "inventory.view_stockmove",
    "inventory.view_transfer",
    "inventory.view_channelstock",
    "inventory.view_channelallocation",
    "returns.view_dispositionrule",
]
STOCK_TRANSFER = ["inventory.add_transfer", "inventory.change_transfer"]
CARE_VIEW = [
    "messaging.view_template",
    "messaging.view_delivery",
    "journeys.view_journey",
    "journeys.view_journeyrun",
    "journeys.view_caretask",
    "journeys.change_caretask",
    "surveys.view_survey",
    "surveys.view_response",
    "surveys.view_followup",
    "surveys.change_followup",
    "segments.view_segment",
    "recommendations.view_association",
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
# Service centres, appointments, on-site visits and maintenance (haumai.repairs.booking).
BOOKING_VIEW = [
    "repairs.view_servicecenter",
    "repairs.view_appointment",
    "repairs.view_onsitevisit",
    "repairs.view_maintenanceschedule",
    "repairs.view_maintenanceplan",
]
BOOKING_AGENT = [
    "repairs.add_appointment",
    "repairs.change_appointment",
    "repairs.check_in_appointment",
    "repairs.add_onsitevisit",
    "repairs.change_onsitevisit",
]
BOOKING_TECHNICIAN = ["repairs.check_in_appointment", "repairs.record_visit_outcome", "repairs.record_maintenance"]
BOOKING_MANAGE = [
    "repairs.add_servicecenter",
    "repairs.change_servicecenter",
    "repairs.add_maintenanceplan",
    "repairs.change_maintenanceplan",
]
# Repair orders (haumai.repairs): agents take units in and follow them; technicians work them.
REPAIRS_VIEW = ["repairs.view_repairorder", "repairs.view_servicecenter"]
REPAIRS_AGENT = ["repairs.add_repairorder", "repairs.change_repairorder"]
REPAIRS_TECHNICIAN = [*REPAIRS_AGENT, "repairs.work_repairorder"]
CARE_MANAGE = [
    "messaging.add_template",
    "messaging.change_template",
    "messaging.resolve_delivery",
    "journeys.add_journey",
    "journeys.change_journey",
    "returns.add_returnpolicy",
    "returns.change_returnpolicy",
    "surveys.change_survey",
    "analytics.view_dashboard",
    "segments.add_segment",
    "segments.change_segment",
    "segments.export_segment",
]

# The support inbox (haumai.support): agents reply, assign and merge; managers also approve goodwill.
SUPPORT_AGENT = [
    "support.view_ticket",
    "support.reply_ticket",
    "support.assign_ticket",
    "support.merge_ticket",
    "support.view_macro",
    "support.view_calllog",
    "support.add_calllog",
    "support.view_goodwillrequest",
    "support.add_goodwillrequest",
]
SUPPORT_MANAGE = [
    *SUPPORT_AGENT, "support.approve_goodwill", "support.add_macro", "support.change_macro",
    "support.view_assignmentrule", "support.change_assignmentrule",
]

# The knowledge base (haumai.knowledge): agents write and submit articles; managers publish and archive.
KNOWLEDGE_AGENT = ["knowledge.view_article", "knowledge.add_article", "knowledge.change_article"]
KNOWLEDGE_MANAGE = [*KNOWLEDGE_AGENT, "knowledge.publish_article"]

# Data-subject requests (haumai.privacy): agents take them on the customer's behalf; managers verify,
# process and erase.
PRIVACY_AGENT = ["privacy.view_datarequest", "privacy.add_datarequest"]
PRIVACY_MANAGE = [
    *PRIVACY_AGENT,
    "privacy.change_datarequest",
    "privacy.process_datarequest",
    "privacy.erase_customer",
    # Breach incidents (haumai.privacy). The access log is reviewed by admins only (they hold every permission).
    "privacy.view_incident",
    "privacy.add_incident",
    "privacy.change_incident",
]

# SLA settings (haumai.support.sla): business calendars and policies, managed by managers.
SLA_MANAGE = [
    "support.view_businesscalendar",
    "support.add_businesscalendar",
    "support.change_businesscalendar",
    "support.view_slapolicy",
    "support.add_slapolicy",
    "support.change_slapolicy",
]

# Loyalty (haumai.loyalty): agents see points and vouchers and give goodwill codes within their limit;
# managers adjust points, run campaigns and cashback rules and may earn/spend/redeem as the POS does.
LOYALTY_VIEW = [
    "loyalty.view_pointsentry",
    "loyalty.view_membership",
    "loyalty.view_vouchercampaign",
    "loyalty.view_voucher",
    "loyalty.view_voucherredemption",
    "loyalty.view_cashbackrule",
    "loyalty.view_cashback",
    "payments.view_storecreditentry",
]
LOYALTY_AGENT = [*LOYALTY_VIEW, "loyalty.add_voucher"]
LOYALTY_MANAGE = [
    *LOYALTY_AGENT,
    "loyalty.adjust_points",
    "loyalty.add_pointsentry",
    "loyalty.add_vouchercampaign",
    "loyalty.change_vouchercampaign",
    "loyalty.add_cashbackrule",
    "loyalty.change_cashbackrule",
    "loyalty.add_voucherredemption",
    "payments.add_storecreditentry",
]

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
        *BOOKING_VIEW,
        *BOOKING_AGENT,
        *REPAIRS_VIEW,
        *REPAIRS_AGENT,
        *SUPPORT_AGENT,
        *LOYALTY_AGENT,
        *KNOWLEDGE_AGENT,
    ],
    "technician": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "customers.view_customer_pii",
        *RETURNS_VIEW,
        *WARRANTY_VIEW,
        *BOOKING_VIEW,
        *BOOKING_TECHNICIAN,
        *REPAIRS_VIEW,
        *REPAIRS_TECHNICIAN,
    ],
    "warehouse": [
        *VIEW_CORE,
        *STOCK_VIEW,
        "inventory.add_stockmove",
        *STOCK_TRANSFER,
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
        *STOCK_TRANSFER,
        "inventory.add_channelallocation",
        "inventory.change_channelallocation",
        "returns.add_dispositionrule",
        "returns.change_dispositionrule",
        "returns.override_disposition",
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
        *BOOKING_VIEW,
        *BOOKING_AGENT,
        *BOOKING_TECHNICIAN,
        *BOOKING_MANAGE,
        *REPAIRS_VIEW,
        *REPAIRS_AGENT,
        "repairs.assign_repairorder",
        "repairs.approve_goodwill",
        *SUPPORT_MANAGE,
        *SLA_MANAGE,
        *LOYALTY_MANAGE,
        *KNOWLEDGE_MANAGE,
    ],
    # Admins get every permission (see accounts.services.sync_roles).
    "admin": [],
}

APPROVAL_LIMITS_VND = {"agent": 500_000, "technician": 0, "warehouse": 0, "manager": 10_000_000, "admin": 100_000_000}
