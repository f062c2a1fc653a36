"""API shapes for warranties, plans and claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from haumai.accounts.selectors import shown_phone
from haumai.core import clock
from haumai.core import openapi as doc
from haumai.warranty import selectors
from haumai.warranty.models import Claim, ClaimResolution, ExtendedCoverage, ExtensionKind, Warranty
from haumai.warranty.policy import explain


class WarrantyCustomerOut(Schema):
    code: str
    name: str
    phone: str


class ComponentOut(Schema):
    name: str
    duration: int
    unit: str


class WarrantyOut(Schema):
    code: str
    serial: str
    imei: str | None
    sku: str
    product: str
    customer: WarrantyCustomerOut
    order: str | None
    source: str
    status: str
    state: str = Field(description="status as of today: an active warranty past its end date is expired")
    purchased_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    covered_until: dt.date | None = Field(description="end date counting active extended plans")
    answer: str
    void_reason: str
    replaced_by: str | None
    policy: str
    responsibility: str
    components: list[ComponentOut]


class WarrantyPage(Schema):
    items: list[WarrantyOut]
    has_more: bool


class PlanOut(Schema):
    code: str
    plan: str
    price_paid: int
    starts_on: dt.date
    ends_on: dt.date
    status: str
    refund_amount: int | None


class ExtensionOut(Schema):
    kind: str
    days: int
    reference: str
    service_from: dt.date | None
    service_until: dt.date | None


class ClaimOut(Schema):
    code: str
    warranty: str
    serial: str
    origin: str
    status: str
    covered: bool
    reasons: list[str]
    resolution: str
    description: str
    decision_note: str
    replacement_warranty: str | None
    service_center: str
    return_code: str
    submitted_at: dt.datetime


class ClaimPage(Schema):
    items: list[ClaimOut]
    has_more: bool


class WarrantyDetailOut(WarrantyOut):
    plans: list[PlanOut]
    extensions: list[ExtensionOut]
    claims: list[ClaimOut]
    replaces: list[str]


class ActivateIn(Schema):
    serial: str = Field(max_length=64, description="serial number or IMEI")
    phone: str = Field(
        max_length=32, description="the phone the product was bought with", json_schema_extra=doc.phone()
    )


class ImportRowIn(Schema):
    """One warranty to import; full_name is needed only when the phone is not a customer yet."""

    model_config = ConfigDict(json_schema_extra=doc.also_required("full_name"))
    serial: str = Field(max_length=64, json_schema_extra=doc.NOT_BLANK)
    imei: str | None = Field(None, max_length=20, json_schema_extra=doc.IMEI)
    sku: str = Field(max_length=64)
    phone: str = Field(max_length=32, json_schema_extra=doc.phone())
    full_name: str = Field("", max_length=160, json_schema_extra=doc.NOT_BLANK)
    purchased_on: dt.date
    starts_on: dt.date | None = None


class ImportIn(Schema):
    rows: list[ImportRowIn] = Field(max_length=10_000, json_schema_extra={"minItems": 1})
    dry_run: doc.StrictBoolean = False


class ImportOut(Schema):
    created: int
    codes: list[str]
    dry_run: bool


class PlanIn(Schema):
    plan: str = Field(max_length=60, description="extended plan code")
    price: int | None = Field(None, ge=0, le=10_000_000_000)
    external_id: str | None = Field(None, max_length=80, description="POS sale id (idempotency)")


class ExtensionIn(Schema):
    days: int = Field(ge=1, le=3650)
    kind: str = Field("service_days", max_length=20, json_schema_extra=doc.one_of(ExtensionKind.values))
    reference: str = Field("", max_length=40)
    service_from: dt.date | None = None
    service_until: dt.date | None = None
    note: str = Field("", max_length=300)


class ClaimIn(Schema):
    description: str = Field(max_length=4000)


class DecisionIn(Schema):
    accept: doc.StrictBoolean
    resolution: str = Field(
        "",
        max_length=20,
        description="repair, replacement or refund",
        json_schema_extra=doc.one_of(ClaimResolution.values, blank=True),
    )
    note: str = Field("", max_length=500)


class ResolveIn(Schema):
    replacement_serial: str = Field("", max_length=64)
    replacement_imei: str | None = Field(None, max_length=20, json_schema_extra=doc.IMEI)
    service_center: str = Field(
        "", max_length=40, description="Repair only: the centre's code (ours, or the brand's when it is responsible)"
    )
    refund_method: str = Field(
        "", max_length=20,
        description="Refund only: refund_original (VNPay/MoMo orders; the default there), bank_transfer, cash or "
        "store_credit. The refund is a return (RMA) that pays out once the unit is received",
    )  # fmt: skip
    bank_account: dict[str, str] | None = Field(None, description="bank_transfer: {bank, number, name}")


def warranty_out(warranty: Warranty, user: Any) -> dict[str, Any]:
    """A warranty as the API shows it to this user (phone masked without the PII permission)."""
    today = clock.today()
    terms = warranty.terms or {}
    return {
        "code": warranty.code,
        "serial": warranty.unit.serial,
        "imei": warranty.unit.imei,
        "sku": warranty.unit.product.sku,
        "product": warranty.unit.product.name,
        "customer": {
            "code": warranty.customer.code,
            "name": warranty.customer.full_name,
            "phone": shown_phone(user, warranty.customer.phone),
        },
        "order": warranty.order_line.order.code if warranty.order_line_id and warranty.order_line else None,
        "source": warranty.source,
        "status": warranty.status,
        "state": warranty.state_on(today),
        "purchased_on": warranty.purchased_on,
        "starts_on": warranty.starts_on,
        "ends_on": warranty.ends_on,
        "covered_until": selectors.covered_until(warranty),
        "answer": selectors.answer(warranty, today=today).sentence,
        "void_reason": warranty.void_reason,
        "replaced_by": warranty.replaced_by.code if warranty.replaced_by_id and warranty.replaced_by else None,
        "policy": str(terms.get("policy_code", "")),
        "responsibility": str(terms.get("responsibility", "")),
        "components": [
            {"name": c.get("name_vi", ""), "duration": c.get("duration", 0), "unit": c.get("unit", "")}
            for c in terms.get("components", [])
        ],
    }


def plan_out(coverage: ExtendedCoverage) -> dict[str, Any]:
    """One sold extended plan."""
    return {
        "code": coverage.code,
        "plan": coverage.plan.code,
        "price_paid": coverage.price_paid,
        "starts_on": coverage.starts_on,
        "ends_on": coverage.ends_on,
        "status": coverage.status,
        "refund_amount": coverage.refund_amount,
    }


def claim_out(claim: Claim) -> dict[str, Any]:
    """One claim with its coverage reasons as sentences."""
    return {
        "code": claim.code,
        "warranty": claim.warranty.code,
        "serial": claim.warranty.unit.serial,
        "origin": claim.origin,
        "status": claim.status,
        "covered": claim.covered,
        "reasons": [explain(note) for note in claim.notes],
        "resolution": claim.resolution,
        "description": claim.description,
        "decision_note": claim.decision_note,
        "replacement_warranty": claim.replacement_warranty.code
        if claim.replacement_warranty_id and claim.replacement_warranty
        else None,
        "service_center": claim.service_center_code,
        "return_code": claim.return_code,
        "submitted_at": claim.submitted_at,
    }


def detail_out(warranty: Warranty, user: Any) -> dict[str, Any]:
    """A warranty with its plans, extensions, claims and the warranties it replaced."""
    found = selectors.history(warranty)
    return {
        **warranty_out(warranty, user),
        "plans": [plan_out(p) for p in found.plans],
        "extensions": [
            {
                "kind": e.kind,
                "days": e.days,
                "reference": e.reference,
                "service_from": e.service_from,
                "service_until": e.service_until,
            }
            for e in found.extensions
        ],
        "claims": [claim_out(c) for c in found.claims],
        "replaces": [w.code for w in found.replaces],
    }
