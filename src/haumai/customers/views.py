"""Console pages for customers: the list and the customer 360."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from haumai.accounts.selectors import can_look_up_by_contact, can_see_pii, shown_phone
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number
from haumai.core.registry import registry
from haumai.customers.selectors import customer_by_code, customer_list, searches_by_contact
from haumai.privacy.audit import AccessAction, record_access

PAGE_SIZE = 25


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_GET
def customer_index(request: HttpRequest) -> HttpResponse:
    """Customers, searchable, paginated without counting the whole table."""
    query = request.GET.get("q", "").strip()[:100]
    # Separation of duties: without PII access, not even "is this phone a customer?" (accounts/README.md).
    contact_refused = searches_by_contact(query) and not can_look_up_by_contact(request.user)
    try:
        customers = customer_list(q=query) if not contact_refused else customer_list().none()
    except DomainError:
        customers = customer_list()
    page = page_number(request)
    rows = list(customers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    for customer in rows:
        customer.shown_phone = shown_phone(request.user, customer.phone)  # type: ignore[attr-defined]
    if rows and can_see_pii(request.user):
        # Unmasked phone numbers were listed: the access log keeps who, when and how many (not the query).
        record_access(
            actor=request.user, action=AccessAction.VIEW_LIST, target="customers",
            detail={"rows": len(rows[:PAGE_SIZE]), "page": page, "searched": bool(query)}, http=request,
        )  # fmt: skip
    context = {
        "customers": rows[:PAGE_SIZE],
        "query": query,
        "contact_refused": contact_refused,
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
    }
    return render(request, "customers/list.html", context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_GET
def customer_360(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one customer: the panels the apps register (core.registry), each behind its permission."""
    try:
        customer = customer_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    side: list[dict[str, Any]] = []
    main: list[dict[str, Any]] = []
    for panel in sorted(registry.panels.values(), key=lambda p: (p.order, p.key)):
        if panel.permission and not request.user.has_perm(panel.permission):
            continue
        context = {**panel.context(request, customer), "customer": customer, "panel": panel}
        rendered = {"panel": panel, "html": render_to_string(panel.template, context, request=request)}
        (side if panel.column == "side" else main).append(rendered)
    access = None
    if can_see_pii(request.user):
        # The 360 shows contact details unmasked to this user: recorded, with an optional reason to add.
        access = record_access(
            actor=request.user, action=AccessAction.VIEW_CUSTOMER, customer=customer, target=customer.code,
            http=request,
        )  # fmt: skip
    context = {"customer": customer, "side_panels": side, "main_panels": main, "access_entry": access}
    return render(request, "customers/customer_360.html", context)
