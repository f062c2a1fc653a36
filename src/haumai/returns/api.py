"""REST API v1: returns (RMA) — list, create (idempotent), decide, cancel, receive, inspect."""

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
from haumai.customers.selectors import customer_by_code
from haumai.privacy import audit
from haumai.returns import selectors, services
from haumai.returns.models import Origin, Status
from haumai.returns.schemas import (
    InspectIn,
    NoteIn,
    ReceiveIn,
    RejectIn,
    ReturnIn,
    ReturnOut,
    ReturnPage,
    return_out,
    summary_out,
)
from haumai.sales.selectors import order_by_code

router = Router(tags=["returns"])


class ReturnFilters(Schema):
    status: str = Field("", max_length=24, json_schema_extra=doc.one_of(Status.values, blank=True))
    q: str = Field("", max_length=64, description="RMA, drop-off, customer or order code, or tracking code")
    problems: doc.QueryBoolean = False
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _detail(code: str, http: HttpRequest | None = None) -> dict[str, Any]:
    request = selectors.return_by_code(code)
    if http is not None:
        audit.contact_shown(http, customer=request.customer, target=request.code, page="api")
    return return_out(request, list(selectors.timeline(request)))


@router.get("", response=ReturnPage, summary="List returns, newest first")
def list_returns(request: HttpRequest, filters: Query[ReturnFilters]) -> dict[str, Any]:
    require(request, "returns.view_returnrequest")
    if filters.status and filters.status not in Status.values:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("status", _("Unknown status (one of: %(allowed)s)") % {"allowed": ", ".join(Status.values)})],
        )
    rows = list(
        selectors.return_queue(status=filters.status, q=filters.q, problems_only=filters.problems)[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    items = [summary_out(row, getattr(row, "value", 0) or 0) for row in rows[: filters.limit]]
    audit.contact_shown(request, target="returns", page="api", rows=len(items))
    return {"items": items, "has_more": len(rows) > filters.limit}


@router.get("/{code}", response=ReturnOut, summary="Get a return by RMA code, with lines and timeline")
def get_return(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request, "returns.view_returnrequest")
    return _detail(code, request)


@router.post(
    "",
    response={200: ReturnOut, 201: ReturnOut},
    summary="Open a return (idempotent by Idempotency-Key header or idempotency_key)",
)
def create_return(request: HttpRequest, payload: ReturnIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "returns.add_returnrequest")
    try:
        customer = customer_by_code(payload.customer, detail=False)
    except NotFound as exc:
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("customer", exc.message, "unknown")]) from exc
    order = None
    if payload.order:
        try:
            order = order_by_code(payload.order)
        except NotFound as exc:
            raise ValidationFailed(_("Some fields are invalid"), [FieldError("order", exc.message, "unknown")]) from exc
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key
    created_request, created = services.create_return(
        actor=user,
        customer=customer,
        order=order,
        lines=[services.LineInput(**line.model_dump()) for line in payload.lines],
        reason=payload.reason,
        resolution=payload.resolution,
        logistics=payload.logistics,
        origin=Origin.API,
        carrier_code=payload.carrier,
        pickup=services.PickupInput(**payload.pickup.model_dump()) if payload.pickup else None,
        warehouse_code=payload.warehouse or None,
        customer_note=payload.customer_note,
        exchange_sku=payload.exchange_sku,
        bank_account=payload.bank_account.model_dump() if payload.bank_account else None,
        idempotency_key=key[:120] or None,
        override_note=payload.override_note,
        actor_label=f"api:{user.get_username()}",
    )
    return HttpStatus(201 if created else 200, _detail(created_request.code))


@router.post("/{code}/approve", response=ReturnOut, summary="Approve a requested return")
def approve(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    user = require(request, "returns.approve_returnrequest")
    services.approve_return(actor=user, request=selectors.return_by_code(code), note=payload.note)
    return _detail(code)


@router.post("/{code}/reject", response=ReturnOut, summary="Reject a requested return (note required)")
def reject(request: HttpRequest, code: str, payload: RejectIn) -> dict[str, Any]:
    user = require(request, "returns.approve_returnrequest")
    services.reject_return(actor=user, request=selectors.return_by_code(code), note=payload.note)
    return _detail(code)


@router.post("/{code}/cancel", response=ReturnOut, summary="Cancel a return before it is received")
def cancel(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    user = require(request, "returns.change_returnrequest")
    services.cancel_return(actor=user, request=selectors.return_by_code(code), note=payload.note)
    return _detail(code)


@router.post("/{code}/receive", response=ReturnOut, summary="Record that the parcel arrived (idempotent)")
def receive(request: HttpRequest, code: str, payload: ReceiveIn) -> dict[str, Any]:
    user = require(request, "returns.receive_returnrequest")
    services.receive_return(
        actor=user,
        request=selectors.return_by_code(code),
        received=payload.lines,
        warehouse_code=payload.warehouse,
        serials=payload.serials,
    )
    return _detail(code)


@router.post(
    "/{code}/lines/{line_id}/inspect", response=ReturnOut, summary="Grade a received line and restock or dispose"
)
def inspect(request: HttpRequest, code: str, line_id: int, payload: InspectIn) -> dict[str, Any]:
    user = require(request, "returns.receive_returnrequest")
    found = selectors.return_by_code(code)
    line = next((line for line in found.lines.all() if line.pk == line_id), None)
    if line is None:
        raise NotFound(_("Return %(code)s has no line %(line)s") % {"code": found.code, "line": line_id})
    services.inspect_line(
        actor=user,
        line=line,
        grade=payload.grade,
        disposition=payload.disposition,
        warehouse_code=payload.warehouse,
        notes=payload.notes,
    )
    return _detail(code)
