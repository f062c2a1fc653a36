"""The console's global search: customers, orders and serial/IMEI units from one box."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from haumai.catalog.selectors import unit_by_serial
from haumai.core.errors import DomainError
from haumai.customers.selectors import customer_list
from haumai.sales.selectors import order_by_code

MAX_QUERY_LENGTH = 100


@dataclass
class SearchResults:
    query: str
    customers: list[Any] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)
    units: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.customers or self.orders or self.units)


def global_search(raw: str, *, limit: int = 10) -> SearchResults:
    """Find customers (name without diacritics, phone in any format, e-mail, code), orders and units."""
    query = (raw or "").strip()[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    if len(query) < 2:
        return results
    if query.upper().startswith("ORD-"):
        with contextlib.suppress(DomainError):
            results.orders = [order_by_code(query)]
        return results
    # A serial/IMEI is one indexed lookup; try it before the (trigram) name search it would miss anyway.
    if " " not in query and len(query) >= 4 and any(ch.isdigit() for ch in query):
        with contextlib.suppress(DomainError):
            results.units = [unit_by_serial(query)]
        if results.units:
            return results
    try:
        results.customers = list(customer_list(q=query)[:limit])
    except DomainError:
        results.customers = []
    return results
