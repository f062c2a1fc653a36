"""REST API v1: repair orders (intake, list, get) and their transitions.

Errors use the API's one shape `{"error": {"code", "message", "fields": [...]}}`: 404 unknown code,
403 permission or another technician's repair, 409 a move the state does not allow (`invalid_transition`),
a quote answered twice (`already_decided`) or expired (`quote_expired`), parts out of stock
(`out_of_stock`: the order now waits for parts), 422 bad input with field messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, get_args

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.errors import FieldError, ValidationFailed
from haumai.core.permissions import require
from haumai.privacy import audit
from haumai.repairs import selectors, services
from haumai.repairs.models import RepairOrigin, RepairStatus
from haumai.repairs.schemas import (
    ERRORS,
    GoodwillDecisionIn,
    IntakeIn,
    PartIn,
    QuoteDecisionIn,
    QuoteIn,
    RepairAssignIn,
    RepairDetailOut,
    RepairPage,
    TransitionIn,
    detail_out,
    repair_out,
)

router = Router(tags=["repairs"])
VIEW = "repairs.view_repairorder"
CHANGE = "repairs.change_repairorder"
WORK = "repairs.work_repairorder"


class RepairFilters(Schema):
    queue: str = Field(
        "all",
        description="mine, unassigned, waiting_parts, qc, ready, open, all",
        json_schema_extra=doc.one_of(selectors.QUEUES),
    )
    status: str = Field("", max_length=24, json_schema_extra=doc.one_of(RepairStatus.values, blank=True))
    center: str = Field("", max_length=40, description="service centre code")
    q: str = Field("", max_length=64, description="RO code, serial or IMEI")
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _detail(code: str, user: Any) -> dict[str, Any]:
    return detail_out(selectors.repair_by_code(code), user)


@router.get("", response={200: RepairPage, **ERRORS}, summary="List repair orders by queue, state, centre or serial")
def list_repairs(request: HttpRequest, filters: Query[RepairFilters]) -> dict[str, Any]:
    user = require(request, VIEW)
    errors = []
    if filters.queue not in selectors.QUEUES:
        errors.append(
            FieldError("queue", _("Unknown queue (one of: %(allowed)s)") % {"allowed": ", ".join(selectors.QUEUES)})
        )
    if filters.status and filters.status not in RepairStatus.values:
        errors.append(
            FieldError(
                "status", _("Unknown status (one of: %(allowed)s)") % {"allowed": ", ".join(RepairStatus.values)}
            )
        )
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    rows = selectors.repair_queue(
        queue=filters.queue, user=user, q=filters.q, center=filters.center, status=filters.status
    )
    page = list(rows[filters.offset : filters.offset + filters.limit + 1])
    audit.contact_shown(request, target="repairs", page="api", rows=len(page[: filters.limit]))
    return {"items": [repair_out(o, user) for o in page[: filters.limit]], "has_more": len(page) > filters.limit}


@router.post("", response={201: RepairDetailOut, **ERRORS}, summary="Receive a unit: open a repair order (intake)")
def create_repair(request: HttpRequest, payload: IntakeIn) -> HttpStatus[dict[str, Any]]:
    user = require(request, "repairs.add_repairorder")
    refs = selectors.intake_refs(
        serial=payload.serial,
        customer_code=payload.customer,
        center_code=payload.service_center,
        claim_code=payload.claim,
    )
    if refs["errors"]:
        raise ValidationFailed(_("Some fields are invalid"), refs["errors"])
    order = services.receive_unit(
        actor=user,
        unit=refs["unit"],
        customer=refs["customer"],
        service_center=refs["service_center"],
        description=payload.description,
        condition=payload.condition,
        accessories=payload.accessories,
        claim=refs["claim"],
        origin=RepairOrigin.API,
        actor_label=f"api:{user.get_username()}",
    )
    return HttpStatus(201, _detail(order.code, user))


@router.get(
    "/{code}", response={200: RepairDetailOut, **ERRORS}, summary="Get a repair order with its quote and history"
)
def get_repair(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require(request, VIEW)
    order = selectors.repair_by_code(code)
    audit.contact_shown(request, customer=order.customer, target=order.code, page="api")
    return detail_out(order, user)


@router.post("/{code}/assign", response={200: RepairDetailOut, **ERRORS}, summary="Assign a technician")
def assign(request: HttpRequest, code: str, payload: RepairAssignIn) -> dict[str, Any]:
    user = require(request, CHANGE)
    services.assign(
        actor=user, order=selectors.repair_by_code(code), technician=selectors.user_by_username(payload.technician)
    )
    return _detail(code, user)


@router.post("/{code}/quote", response={200: RepairDetailOut, **ERRORS}, summary="Send the diagnosis and quote")
def send_quote(request: HttpRequest, code: str, payload: QuoteIn) -> dict[str, Any]:
    user = require(request, WORK)
    lines = [services.QuoteLineInput(**line.model_dump()) for line in payload.lines]
    services.send_quote(
        actor=user,
        order=selectors.repair_by_code(code),
        diagnosis=payload.diagnosis,
        lines=lines,
        valid_days=payload.valid_days,
        goodwill_vnd=payload.goodwill_vnd,
        goodwill_reason=payload.goodwill_reason,
    )
    return _detail(code, user)


@router.post(
    "/{code}/goodwill/decision",
    response={200: RepairDetailOut, **ERRORS},
    summary="A manager approves or refuses goodwill above the giver's limit",
)
def decide_goodwill(request: HttpRequest, code: str, payload: GoodwillDecisionIn) -> dict[str, Any]:
    user = require(request, CHANGE)
    services.decide_goodwill(
        actor=user, order=selectors.repair_by_code(code), approve=payload.approve, note=payload.note
    )
    return _detail(code, user)


@router.post(
    "/{code}/quote/decision",
    response={200: RepairDetailOut, **ERRORS},
    summary="Record the customer's answer to the quote",
)
def decide_quote(request: HttpRequest, code: str, payload: QuoteDecisionIn) -> dict[str, Any]:
    user = require(request, CHANGE)
    services.decide_quote(actor=user, order=selectors.repair_by_code(code), approve=payload.approve, note=payload.note)
    return _detail(code, user)


@router.post("/{code}/parts", response={200: RepairDetailOut, **ERRORS}, summary="Use a part from the centre's stock")
def use_part(request: HttpRequest, code: str, payload: PartIn) -> dict[str, Any]:
    user = require(request, WORK)
    part = selectors.part_by_sku(payload.sku)
    if part is None:
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("sku", _("Unknown part SKU"), "unknown_sku")])
    services.use_part(
        actor=user,
        order=selectors.repair_by_code(code),
        part=part,
        quantity=payload.quantity,
        unit_cost=payload.unit_cost,
    )
    return _detail(code, user)


TRANSITIONS: dict[str, tuple[str, Callable[..., Any], bool]] = {
    "diagnose": (WORK, services.start_diagnosis, False),
    "wait-parts": (WORK, services.wait_for_parts, True),
    "resume": (WORK, services.resume_work, True),
    "start": (WORK, services.start_repair, False),
    "finish": (WORK, services.finish_repair, True),
    "qc-pass": (WORK, services.pass_qc, True),
    "qc-fail": (WORK, services.fail_qc, True),
    "return-unrepaired": (CHANGE, services.return_unrepaired, True),
    "hand-back": (CHANGE, services.hand_back, True),
    "close": (CHANGE, services.close, True),
}
# The same names as a type, so the schema lists them (the path parameter is an enum).
TransitionName = Literal[
    "diagnose", "wait-parts", "resume", "start", "finish", "qc-pass", "qc-fail", "return-unrepaired", "hand-back",
    "close",
]
assert set(get_args(TransitionName)) == set(TRANSITIONS)


@router.post(
    "/{code}/transitions/{name}",
    response={200: RepairDetailOut, **ERRORS},
    summary="Move the order: diagnose, wait-parts, resume, start, finish, qc-pass, qc-fail, return-unrepaired, "
    "hand-back, close",
)
def run_transition(request: HttpRequest, code: str, name: TransitionName, payload: TransitionIn) -> dict[str, Any]:
    if name not in TRANSITIONS:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("name", _("Unknown transition (one of: %(allowed)s)") % {"allowed": ", ".join(TRANSITIONS)})],
        )
    permission, action, takes_note = TRANSITIONS[name]
    user = require(request, permission)
    order = selectors.repair_by_code(code)
    if takes_note:
        action(actor=user, order=order, note=payload.note)
    else:
        action(actor=user, order=order)
    return _detail(code, user)
