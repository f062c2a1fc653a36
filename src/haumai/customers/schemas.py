"""API shapes for customers (input validation by pydantic, output masked per role)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from haumai.core import openapi as doc
from haumai.core.phone import mask_phone
from haumai.core.text import mask_email
from haumai.customers.models import (
    Address,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Customer,
    EvidenceChannel,
    Gender,
    Identity,
    IdentityKind,
)
from haumai.customers.services import LANGUAGES


class AddressIn(Schema):
    street: str = Field(min_length=1, max_length=255)
    province_code: int
    ward_code: int | None = None
    label: str = Field("", max_length=40)
    recipient_name: str = Field("", max_length=160)
    phone: str = Field("", max_length=32, json_schema_extra=doc.phone(optional=True))
    is_default: doc.StrictBoolean = False


class ConsentIn(Schema):
    purpose: str = Field(json_schema_extra=doc.one_of(ConsentPurpose.values))
    channel: str = Field(json_schema_extra=doc.one_of(ConsentChannel.values))
    granted: doc.StrictBoolean
    source: str = Field("", max_length=40)
    # Evidence of the consent: the wording version shown (default: the purpose's current one), how and from where.
    text_version: int | None = Field(None, ge=1, le=100000)
    evidence_channel: str = Field("api", max_length=20, json_schema_extra=doc.one_of(EvidenceChannel.values))
    ip_address: str | None = Field(
        None,
        max_length=45,
        json_schema_extra={
            "anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}, {"type": "null"}]
        },
    )
    agent: str = Field("", max_length=200)


class CustomerIn(Schema):
    full_name: str = Field(max_length=160, json_schema_extra=doc.NOT_BLANK)
    phone: str | None = Field(None, max_length=32, json_schema_extra=doc.phone())
    email: str | None = Field(None, max_length=254, json_schema_extra=doc.email())
    birth_date: dt.date | None = None
    gender: str = Field("", json_schema_extra=doc.one_of(Gender.values, blank=True))
    preferred_language: str = Field("vi", json_schema_extra=doc.one_of(LANGUAGES))
    preferred_channel: str = Field("", max_length=20)
    external_id: str | None = Field(None, max_length=80)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    consents: list[ConsentIn] = Field(default_factory=list, max_length=20)


class CustomerPatch(Schema):
    # Not nullable: a name can be changed, never cleared (null is refused like a blank name).
    full_name: str = Field(None, max_length=160, json_schema_extra=doc.NOT_BLANK)  # type: ignore[assignment]
    phone: str | None = Field(None, max_length=32, json_schema_extra=doc.phone())
    email: str | None = Field(None, max_length=254, json_schema_extra=doc.email())
    birth_date: dt.date | None = None
    gender: str | None = Field(None, json_schema_extra=doc.one_of(Gender.values, blank=True, null=True))
    preferred_language: str | None = Field(None, json_schema_extra=doc.one_of(LANGUAGES, null=True))
    preferred_channel: str | None = Field(None, max_length=20)
    consents: list[ConsentIn] = Field(default_factory=list, max_length=20)


class IdentityOut(BaseModel):
    kind: str
    value: str
    verified: bool


class AddressOut(BaseModel):
    id: int
    label: str
    recipient_name: str
    phone: str
    street: str
    ward_code: int | None
    ward_name: str
    province_code: int
    province_name: str
    is_default: bool


class ConsentOut(BaseModel):
    purpose: str
    channel: str
    granted: bool
    recorded_at: dt.datetime
    text_version: int | None = None
    evidence_channel: str = ""


class CustomerOut(BaseModel):
    code: str
    full_name: str
    phone: str | None
    email: str | None
    gender: str
    preferred_language: str
    preferred_channel: str
    external_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerDetailOut(CustomerOut):
    birth_date: dt.date | None
    identities: list[IdentityOut]
    addresses: list[AddressOut]
    consents: list[ConsentOut]


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    limit: int
    offset: int
    next_offset: int | None


def _phone(value: str | None, pii: bool) -> str | None:
    if not value:
        return value
    return value if pii else mask_phone(value)


def _email(value: str | None, pii: bool) -> str | None:
    if not value:
        return value
    return value if pii else mask_email(value)


def customer_out(customer: Customer, *, pii: bool) -> dict[str, Any]:
    """A customer summary; phone and e-mail masked when the reader may not see personal data."""
    return {
        "code": customer.code,
        "full_name": customer.full_name,
        "phone": _phone(customer.phone, pii),
        "email": _email(customer.email, pii),
        "gender": customer.gender,
        "preferred_language": customer.preferred_language,
        "preferred_channel": customer.preferred_channel,
        "external_id": customer.external_id,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }


def _identity_value(identity: Identity, pii: bool) -> str:
    if pii:
        return identity.value
    if identity.kind == IdentityKind.PHONE:
        return mask_phone(identity.value)
    if identity.kind == IdentityKind.EMAIL:
        return mask_email(identity.value)
    return identity.value[:3] + "***"


def address_out(address: Address, *, pii: bool) -> dict[str, Any]:
    """An address; street and phone hidden when the reader may not see personal data."""
    return {
        "id": address.pk,
        "label": address.label,
        "recipient_name": address.recipient_name,
        "phone": _phone(address.phone, pii) or "",
        "street": address.street if pii else "***",
        "ward_code": address.ward_id,
        "ward_name": address.ward.name if address.ward else "",
        "province_code": address.province_id,
        "province_name": address.province.name,
        "is_default": address.is_default,
    }


def consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "purpose": consent.purpose,
        "channel": consent.channel,
        "granted": consent.granted,
        "recorded_at": consent.recorded_at,
        "text_version": consent.text_version,
        "evidence_channel": consent.evidence_channel,
    }


def customer_detail_out(customer: Customer, *, pii: bool) -> dict[str, Any]:
    """A customer with identities, addresses and consents (prefetched by the selector)."""
    return {
        **customer_out(customer, pii=pii),
        "birth_date": customer.birth_date if pii else None,
        "identities": [
            {"kind": i.kind, "value": _identity_value(i, pii), "verified": i.verified_at is not None}
            for i in customer.identities.all()
        ],
        "addresses": [address_out(a, pii=pii) for a in customer.addresses.all()],
        "consents": [consent_out(c) for c in customer.consents.all()],
    }
