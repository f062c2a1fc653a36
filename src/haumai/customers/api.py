"""REST API v1: customers (list, get by code or phone, create, update, add address)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from haumai.accounts.selectors import can_look_up_by_contact, can_see_pii
from haumai.core import openapi as doc
from haumai.core.errors import Forbidden
from haumai.core.permissions import require
from haumai.customers import selectors, services
from haumai.customers.schemas import (
    AddressIn,
    AddressOut,
    CustomerDetailOut,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    address_out,
    customer_detail_out,
    customer_out,
)
from haumai.privacy import audit

router = Router(tags=["customers"])
MAX_PAGE = 100


class CustomerFilters(Schema):
    q: str = Field("", max_length=160, description="name without diacritics, phone, e-mail or CUS- code")
    phone: str = Field(
        "",
        max_length=32,
        description="any format: 0912 345 678, +84912345678, 84912345678",
        json_schema_extra=doc.phone(optional=True),
    )
    email: str = Field("", max_length=254, json_schema_extra=doc.email(optional=True))
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000)


class PhonePath(Schema):
    phone: str = Field(max_length=32, json_schema_extra=doc.phone())


def _require_contact_lookup(user: Any) -> None:
    # Separation of duties (accounts/README.md): without PII access, not even "is this phone a customer?".
    if not can_look_up_by_contact(user):
        raise Forbidden(_("Finding a customer by phone number or e-mail needs access to personal data"))


@router.get("", response=CustomerPage, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]) -> dict[str, Any]:
    user = require(request, "customers.view_customer")
    if filters.phone or filters.email or selectors.searches_by_contact(filters.q):
        _require_contact_lookup(user)
    rows = list(
        selectors.customer_list(q=filters.q, phone=filters.phone, email=filters.email)[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    pii = can_see_pii(user)
    has_more = len(rows) > filters.limit
    audit.contact_shown(request, target="customers", page="api", rows=len(rows[: filters.limit]))
    return {
        "items": [customer_out(c, pii=pii) for c in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if has_more else None,
    }


@router.get("/by-phone/{phone}", response=CustomerOut, summary="Find a customer by phone (any format)")
def get_customer_by_phone(request: HttpRequest, path: Path[PhonePath]) -> dict[str, Any]:
    user = require(request, "customers.view_customer")
    _require_contact_lookup(user)
    customer = selectors.customer_by_phone(path.phone)
    audit.contact_shown(request, customer=customer, target=customer.code, page="api")
    return customer_out(customer, pii=can_see_pii(user))


@router.get("/{code}", response=CustomerDetailOut, summary="Get a customer by code")
def get_customer(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "customers.view_customer")
    customer = selectors.customer_by_code(code)
    audit.contact_shown(request, customer=customer, target=customer.code, page="api")
    return customer_detail_out(customer, pii=can_see_pii(user))


@router.post("", response={201: CustomerDetailOut}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[dict[str, Any]]:
    user = require(request, "customers.add_customer")
    customer = services.create_customer(
        actor=user,
        full_name=payload.full_name,
        phone=payload.phone,
        email=payload.email,
        birth_date=payload.birth_date,
        gender=payload.gender,
        preferred_language=payload.preferred_language,
        preferred_channel=payload.preferred_channel,
        external_id=payload.external_id,
        addresses=[services.AddressInput(**a.model_dump()) for a in payload.addresses],
        consents=[services.ConsentInput(**c.model_dump()) for c in payload.consents],
    )
    return Status(201, customer_detail_out(selectors.customer_by_code(customer.code), pii=can_see_pii(user)))


@router.patch("/{code}", response=CustomerDetailOut, summary="Update a customer (only the fields sent)")
def update_customer(request: HttpRequest, code: str, payload: CustomerPatch) -> dict[str, Any]:
    user = require(request, "customers.change_customer")
    customer = selectors.customer_by_code(code, detail=False)
    sent = payload.model_dump(exclude_unset=True)
    consents = [services.ConsentInput(**{"evidence_channel": "api", **c}) for c in sent.pop("consents", [])]
    # null clears optional fields; for the language it means "leave as is"; a null name is refused.
    if sent.get("preferred_language", "") is None:
        del sent["preferred_language"]
    for key in ("gender", "preferred_channel"):
        if key in sent and sent[key] is None:
            sent[key] = ""
    services.update_customer(actor=user, customer=customer, consents=consents, **sent)
    return customer_detail_out(selectors.customer_by_code(customer.code), pii=can_see_pii(user))


@router.post("/{code}/addresses", response={201: AddressOut}, summary="Add an address to a customer")
def add_address(request: HttpRequest, code: str, payload: AddressIn) -> Status[dict[str, Any]]:
    user = require(request, "customers.change_customer")
    customer = selectors.customer_by_code(code, detail=False)
    address = services.add_address(actor=user, customer=customer, address=services.AddressInput(**payload.model_dump()))
    return Status(201, address_out(address, pii=can_see_pii(user)))
