"""REST API v1: warranties (lookup by customer, serial/IMEI, order), activation, import, plans, claims."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.permissions import require
from haumai.privacy import audit
from haumai.warranty import selectors, services
from haumai.warranty.models import (
    ClaimOrigin,
    ClaimStatus,
    ExtendedCoverage,
    ExtendedPlan,
    ExtensionKind,
    WarrantyStatus,
)
from haumai.warranty.schemas import (
    ActivateIn,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    DecisionIn,
    ExtensionIn,
    ImportIn,
    ImportOut,
    PlanIn,
    PlanOut,
    ResolveIn,
    WarrantyDetailOut,
    WarrantyPage,
    claim_out,
    detail_out,
    plan_out,
    warranty_out,
)

router = Router(tags=["warranty"])


class WarrantyFilters(Schema):
    customer: str = Field("", max_length=20, description="customer code")
    serial: str = Field("", max_length=64, description="serial number or IMEI")
    order: str = Field("", max_length=24, description="order code")
    status: str = Field("", max_length=20, json_schema_extra=doc.one_of(WarrantyStatus.values, blank=True))
    q: str = Field("", max_length=64, description="warranty code, serial, IMEI or phone")
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


class ClaimFilters(Schema):
    status: str = Field("", max_length=20, json_schema_extra=doc.one_of(ClaimStatus.values, blank=True))
    q: str = Field("", max_length=64)
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _invalid(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


@router.get("", response=WarrantyPage, summary="List warranties by customer, serial/IMEI, order code or state")
def list_warranties(request: HttpRequest, filters: Query[WarrantyFilters]) -> dict[str, Any]:
    user = require(request, "warranty.view_warranty")
    if filters.status and filters.status not in WarrantyStatus.values:
        raise _invalid(
            "status", _("Unknown status (one of: %(allowed)s)") % {"allowed": ", ".join(WarrantyStatus.values)}
        )
    rows = selectors.warranty_list(
        q=filters.q,
        serial=filters.serial,
        status=filters.status,
        customer_code=filters.customer,
        order_code=filters.order,
    )
    page = list(rows[filters.offset : filters.offset + filters.limit + 1])
    audit.contact_shown(request, target="warranties", page="api", rows=len(page[: filters.limit]))
    return {"items": [warranty_out(w, user) for w in page[: filters.limit]], "has_more": len(page) > filters.limit}


@router.post("/activate", response=WarrantyDetailOut, summary="Activate a warranty that starts on activation")
def activate(request: HttpRequest, payload: ActivateIn) -> dict[str, Any]:
    user = require(request, "warranty.activate_warranty")
    warranty = services.activate(
        actor=user,
        serial=payload.serial,
        phone=payload.phone,
        proof=None,
        proof_required=False,
        actor_label=f"api:{user.get_username()}",
    )
    return detail_out(selectors.warranty_by_code(warranty.code), user)


@router.post("/import", response={200: ImportOut, 201: ImportOut}, summary="Import warranties of units sold before")
def import_warranties(request: HttpRequest, payload: ImportIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "warranty.import_warranty")
    rows = [services.ImportRow(**row.model_dump()) for row in payload.rows]
    created = services.import_warranties(actor=user, rows=rows, dry_run=payload.dry_run)
    body = {"created": len(created), "codes": [w.code for w in created], "dry_run": payload.dry_run}
    return HttpStatus(200 if payload.dry_run else 201, body)


@router.get("/claims", response=ClaimPage, summary="List warranty claims, newest first")
def list_claims(request: HttpRequest, filters: Query[ClaimFilters]) -> dict[str, Any]:
    require(request, "warranty.view_claim")
    if filters.status and filters.status not in ClaimStatus.values:
        raise _invalid("status", _("Unknown status (one of: %(allowed)s)") % {"allowed": ", ".join(ClaimStatus.values)})
    page = list(
        selectors.claim_list(status=filters.status, q=filters.q)[filters.offset : filters.offset + filters.limit + 1]
    )
    return {"items": [claim_out(c) for c in page[: filters.limit]], "has_more": len(page) > filters.limit}


@router.get("/claims/{code}", response=ClaimOut, summary="Get a claim with its coverage reasons")
def get_claim(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "warranty.view_claim")
    return claim_out(selectors.claim_by_code(code))


@router.post("/claims/{code}/decide", response=ClaimOut, summary="Accept (with a resolution) or reject a claim")
def decide_claim(request: HttpRequest, code: str, payload: DecisionIn) -> dict[str, Any]:
    user = require(request, "warranty.decide_claim")
    claim = services.decide_claim(
        actor=user,
        claim=selectors.claim_by_code(code),
        accept=payload.accept,
        resolution=payload.resolution,
        note=payload.note,
    )
    return claim_out(selectors.claim_by_code(claim.code))


@router.post("/claims/{code}/resolve", response=ClaimOut, summary="Carry out an accepted claim")
def resolve_claim(request: HttpRequest, code: str, payload: ResolveIn) -> dict[str, Any]:
    user = require(request, "warranty.decide_claim")
    claim = services.resolve_claim(
        actor=user,
        claim=selectors.claim_by_code(code),
        replacement_serial=payload.replacement_serial,
        replacement_imei=payload.replacement_imei,
        service_center=payload.service_center,
        refund_method=payload.refund_method,
        bank_account=payload.bank_account,
    )
    return claim_out(selectors.claim_by_code(claim.code))


@router.post("/plans/{code}/cancel", response=PlanOut, summary="Cancel a sold extended plan (pro-rata refund)")
def cancel_plan(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "warranty.change_extendedcoverage")
    coverage = ExtendedCoverage.objects.select_related("plan").filter(code=code.strip().upper()).first()
    if coverage is None:
        raise NotFound(_("No extended plan sale %(code)s") % {"code": code})
    return plan_out(services.cancel_plan(actor=user, coverage=coverage))


@router.get("/{code}", response=WarrantyDetailOut, summary="Get a warranty with its plans, extensions and claims")
def get_warranty(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, "warranty.view_warranty")
    warranty = selectors.warranty_by_code(code)
    audit.contact_shown(request, customer=warranty.customer, target=warranty.code, page="api")
    return detail_out(warranty, user)


@router.post("/{code}/claims", response={201: ClaimOut}, summary="File a claim (coverage is checked and explained)")
def file_claim(request: HttpRequest, code: str, payload: ClaimIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "warranty.add_claim")
    claim = services.file_claim(
        actor=user,
        warranty=selectors.warranty_by_code(code),
        description=payload.description,
        origin=ClaimOrigin.API,
        actor_label=f"api:{user.get_username()}",
    )
    return HttpStatus(201, claim_out(selectors.claim_by_code(claim.code)))


@router.post("/{code}/plans", response={200: PlanOut, 201: PlanOut}, summary="Sell an extended plan (idempotent)")
def sell_plan(request: HttpRequest, code: str, payload: PlanIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "warranty.add_extendedcoverage")
    plan = ExtendedPlan.objects.filter(code=payload.plan).first()
    if plan is None:
        raise _invalid("plan", _("Unknown plan %(code)s") % {"code": payload.plan}, "unknown_plan")
    coverage, created = services.sell_plan(
        actor=user,
        warranty=selectors.warranty_by_code(code),
        plan=plan,
        price=payload.price,
        external_id=request.headers.get("Idempotency-Key") or payload.external_id,
    )
    return HttpStatus(201 if created else 200, plan_out(coverage))


@router.post("/{code}/extensions", response=WarrantyDetailOut, summary="Extend the end date (e.g. days in service)")
def extend(request: HttpRequest, code: str, payload: ExtensionIn) -> dict[str, Any]:
    user = require(request, "warranty.decide_claim")
    if payload.kind not in ExtensionKind.values:
        raise _invalid("kind", _("Unknown kind (one of: %(allowed)s)") % {"allowed": ", ".join(ExtensionKind.values)})
    warranty = services.extend_warranty(
        actor=user,
        warranty=selectors.warranty_by_code(code),
        kind=payload.kind,
        days=payload.days,
        reference=payload.reference,
        service_from=payload.service_from,
        service_until=payload.service_until,
        note=payload.note,
    )
    return detail_out(selectors.warranty_by_code(warranty.code), user)
