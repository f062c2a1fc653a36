"""The admin (Unfold) in Haumai's look: the console's teal, and a sidebar of Vietnamese labels grouped by
area. Labels live here (not as model verbose_name) so no app gets a migration; a model registered later
that has no label here still appears, under "Other", with its own name."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (group, [(app_label.ModelName, label, Material Symbols icon)])
GROUPS: list[tuple[Any, list[tuple[str, Any, str]]]] = [
    (_("Customers and sales"), [
        ("customers.Customer", _("Customers"), "person"),
        ("customers.Identity", _("Customer identities"), "badge"),
        ("customers.Address", _("Addresses"), "home"),
        ("sales.Order", _("Orders"), "receipt_long"),
        ("sales.Channel", _("Sales channels"), "storefront"),
        ("sales.Store", _("Stores"), "store"),
    ]),
    (_("After-sales operations"), [
        ("returns.ReturnRequest", _("Returns"), "assignment_return"),
        ("returns.ReturnPolicy", _("Return policies"), "policy"),
        ("shipping.Shipment", _("Shipments"), "local_shipping"),
        ("shipping.Carrier", _("Carriers"), "delivery_truck_speed"),
        ("payments.Refund", _("Refunds"), "currency_exchange"),
        ("payments.Payment", _("Payments"), "payments"),
        ("payments.StoreCreditEntry", _("Store credit ledger"), "redeem"),
    ]),
    (_("Products and stock"), [
        ("catalog.Product", _("Products"), "inventory_2"),
        ("catalog.Category", _("Categories"), "category"),
        ("catalog.Unit", _("Serial numbers / IMEI"), "qr_code_2"),
        ("inventory.Warehouse", _("Warehouses"), "warehouse"),
        ("inventory.StockLevel", _("Stock levels"), "stacked_bar_chart"),
        ("inventory.StockMove", _("Stock moves"), "swap_horiz"),
    ]),
    (_("Messages"), [
        ("messaging.Template", _("Message templates"), "description"),
        ("messaging.Delivery", _("Sent messages"), "outgoing_mail"),
        ("messaging.ZaloCredential", _("Zalo OA accounts"), "chat"),
        ("messaging.WebhookSubscription", _("Webhook subscriptions"), "webhook"),
    ]),
    (_("Staff and system"), [
        ("accounts.User", _("Staff accounts"), "manage_accounts"),
        ("auth.Group", _("Roles"), "group"),
        ("accounts.Team", _("Teams"), "groups"),
        ("accounts.ApprovalLimit", _("Approval limits"), "price_check"),
        ("accounts.ApiToken", _("API tokens"), "key"),
        ("events.Event", _("Event log"), "history"),
        ("django_tasks_database.DBTaskResult", _("Background tasks"), "pending_actions"),
        ("customers.Province", _("Provinces"), "map"),
        ("customers.Ward", _("Wards and communes"), "location_city"),
    ]),
]


def _item(model: Any, title: Any, icon: str) -> dict[str, Any] | None:
    meta = model._meta
    try:
        link = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    view = f"{meta.app_label}.view_{meta.model_name}"
    change = f"{meta.app_label}.change_{meta.model_name}"
    return {
        "title": title,
        "icon": icon,
        "link": link,
        "permission": lambda request: request.user.has_perm(view) or request.user.has_perm(change),
    }


def sidebar(request: HttpRequest) -> list[dict[str, Any]]:
    """UNFOLD["SIDEBAR"]["navigation"]: the registered models by area, in the user's language."""
    registered = {model._meta.label: model for model in admin.site._registry}
    groups: list[dict[str, Any]] = []
    placed: set[str] = set()
    for title, entries in GROUPS:
        items = []
        for label, item_title, icon in entries:
            if label in registered and (item := _item(registered[label], item_title, icon)) is not None:
                items.append(item)
                placed.add(label)
        if items:
            groups.append({"title": title, "separator": True, "collapsible": True, "items": items})
    rest = [
        item
        for label, model in sorted(registered.items())
        if label not in placed and (item := _item(model, str(model._meta.verbose_name_plural).capitalize(), "list"))
    ]
    if rest:
        groups.append({"title": _("Other"), "separator": True, "collapsible": True, "items": rest})
    return groups
