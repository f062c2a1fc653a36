"""Customers in the console: the sidebar entry and the name/phone/e-mail/code search."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.accounts.selectors import can_look_up_by_contact, shown_phone
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.customers.selectors import customer_search, searches_by_contact


def search_customers(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Customers by name (any order, no diacritics), phone, e-mail or code; closest first.

    A phone number or an e-mail finds nothing for staff who may not look customers up by contact
    (even "is this number a customer?" reveals personal data; accounts/README.md).
    """
    if searches_by_contact(query) and not can_look_up_by_contact(user):
        return []
    found = customer_search(query, limit=limit)
    return [
        SearchHit(
            kind=_("Customer"),
            title=customer.full_name,
            subtitle=" · ".join(part for part in (customer.code, shown_phone(user, customer.phone)) if part),
            url=reverse("customers:detail", args=[customer.code]),
            icon="user",
            score=0.9 - position * 0.01,
        )
        for position, customer in enumerate(found)
    ]


register_nav(
    NavEntry(
        key="customers.list",
        area="care",
        label=_("Customers"),
        url_name="customers:list",
        icon="users",
        permission="customers.view_customer",
        order=10,
    )
)
register_search(
    SearchProvider(
        key="customers", label=_("Customers"), search=search_customers, permission="customers.view_customer", order=10
    )
)
