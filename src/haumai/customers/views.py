"""Console pages for customers: the list and the customer 360."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haumai.accounts.selectors import can_see_pii, shown_email, shown_phone
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number
from haumai.customers.selectors import customer_by_code, customer_list
from haumai.events.selectors import events_for_customer
from haumai.sales.selectors import order_list

PAGE_SIZE = 25


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_GET
def customer_index(request: HttpRequest) -> HttpResponse:
    """Customers, searchable, paginated without counting the whole table."""
    query = request.GET.get("q", "").strip()[:100]
    try:
        customers = customer_list(q=query)
    except DomainError:
        customers = customer_list()
    page = page_number(request)
    rows = list(customers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    for customer in rows:
        customer.shown_phone = shown_phone(request.user, customer.phone)  # type: ignore[attr-defined]
    context = {
        "customers": rows[:PAGE_SIZE],
        "query": query,
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
    }
    return render(request, "customers/list.html", context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_GET
def customer_360(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one customer: profile, consent, addresses, orders, timeline."""
    try:
        customer = customer_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    orders_after = _order_cursor(request.GET.get("orders_after", ""))
    orders = order_list(customer_code=customer.code, after=orders_after, limit=10)
    timeline = Paginator(events_for_customer(customer.pk), 20).get_page(request.GET.get("events_page"))
    pii = can_see_pii(request.user)
    context = {
        "customer": customer,
        "phone": shown_phone(request.user, customer.phone),
        "email": shown_email(request.user, customer.email),
        "pii": pii,
        "identities": [
            (
                identity,
                identity.value
                if pii or identity.kind not in ("phone", "email")
                else shown_phone(request.user, identity.value)
                if identity.kind == "phone"
                else shown_email(request.user, identity.value),
            )
            for identity in customer.identities.all()
        ],
        "orders": orders[:10],
        "next_orders_cursor": f"{orders[9].placed_at.isoformat()}|{orders[9].pk}" if len(orders) > 10 else "",
        "timeline": timeline,
    }
    return render(request, "customers/customer_360.html", context)


def _order_cursor(raw: str) -> tuple[dt.datetime, int] | None:
    placed, _, order_id = raw.partition("|")
    try:
        return dt.datetime.fromisoformat(placed), int(order_id)
    except ValueError:
        return None
