"""Creating a return request (portal, console or API): validation, eligibility, override, auto-approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import FieldError, ValidationFailed
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.inventory.models import Warehouse
from haumai.returns import conf, exchanges, policy, refunds
from haumai.returns import logistics as returns_logistics
from haumai.returns.models import (
    Condition,
    Logistics,
    Origin,
    Reason,
    Resolution,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    Status,
)
from haumai.returns.services.common import (
    OPEN_STATUSES,
    ReturnNotEligible,
    UploadedPhoto,
    check_photos,
    payload_for,
    raise_if,
    refuse,
    save_photos,
)
from haumai.returns.services.replays import Asked, replayed
from haumai.sales.models import Order, OrderLine, OrderStatus
from haumai.support.services import links as ticket_links

CODE_PREFIX = "RMA"
MAX_LINES = 50
CARRIERS = ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")
# Resolutions the product can carry out end to end (a repair hands the unit to a repair order: haumai.repairs).
OFFERED_RESOLUTIONS = tuple(Resolution.values)


@dataclass(frozen=True)
class LineInput:
    """One item to return: an order line (by id, or by SKU/serial on the order) and how many."""

    order_line_id: int | None = None
    sku: str = ""
    serial: str = ""
    quantity: int = 1
    condition: str = Condition.OPENED_UNUSED
    unit_price: int | None = None  # only for items not on a known order (agent override)


@dataclass(frozen=True)
class PickupInput:
    """Where and when the carrier or our staff collects the parcel."""

    name: str = ""
    phone: str = ""
    street: str = ""
    ward_code: str = ""
    province_code: str = ""
    window_from: dt.datetime | None = None
    window_to: dt.datetime | None = None


@dataclass
class _Checked:
    order_line: OrderLine | None
    product: Product
    unit: Unit | None
    quantity: int
    unit_price: int
    condition: str
    decision: policy.LineDecision = field(default_factory=policy.LineDecision)


def _returned_quantities(order: Order) -> dict[int, int]:
    rows = (
        ReturnLine.objects.filter(order_line__order=order, request__status__in=(*OPEN_STATUSES, Status.CLOSED))
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_line_id"]: row["total"] or 0 for row in rows}


def _open_return_of_unit(unit: Unit) -> str | None:
    line = ReturnLine.objects.filter(unit=unit, request__status__in=OPEN_STATUSES).select_related("request").first()
    return line.request.code if line else None


def _find_order_line(order: Order, item: LineInput, lines: list[OrderLine], index: int) -> OrderLine:
    prefix = f"lines.{index}"
    if item.order_line_id is not None:
        found = next((line for line in lines if line.pk == item.order_line_id), None)
        if found is None:
            raise refuse(f"{prefix}.order_line", _("This line is not on order %(order)s") % {"order": order.code})
        return found
    serial = item.serial.strip()
    if serial:
        found = next((line for line in lines if line.unit and line.unit.serial == serial), None)
        if found is None:
            raise refuse(
                f"{prefix}.serial",
                policy.explain({"code": "serial_not_on_order", "params": {"serial": serial}}),
                "serial_not_on_order",
            )
        return found
    sku = item.sku.strip()
    found = next((line for line in lines if line.product.sku == sku), None)
    if found is None:
        raise refuse(
            f"{prefix}.sku",
            _("%(sku)s is not on order %(order)s") % {"sku": sku or "?", "order": order.code},
            "not_on_order",
        )
    return found


def _check_lines(
    order: Order | None, items: Sequence[LineInput], reason: str, resolution: str, today: dt.date, customer: Any
) -> list[_Checked]:
    if not items:
        raise refuse("lines", _("Choose at least one item to return"), "required")
    if len(items) > MAX_LINES:
        raise refuse("lines", _("At most %(count)s items per return") % {"count": MAX_LINES}, "too_many")
    errors: list[FieldError] = []
    checked: list[_Checked] = []
    order_lines = list(order.lines.select_related("product__category", "unit")) if order else []
    returned = _returned_quantities(order) if order else {}
    wanted: dict[int, int] = {}
    for index, item in enumerate(items):
        prefix = f"lines.{index}"
        if isinstance(item.quantity, bool) or not isinstance(item.quantity, int) or not 1 <= item.quantity <= 10_000:
            errors.append(FieldError(f"{prefix}.quantity", _("Quantity must be a whole number from 1"), "invalid"))
            continue
        if item.condition not in Condition.values:
            errors.append(FieldError(f"{prefix}.condition", _("Unknown condition"), "invalid_choice"))
            continue
        if order is None:
            checked.append(_checked_without_order(item, prefix, errors))
            continue
        line = _find_order_line(order, item, order_lines, index)
        unit = line.unit
        if unit is not None and item.quantity != 1:
            errors.append(FieldError(f"{prefix}.quantity", _("A serialised item is returned one at a time"), "invalid"))
            continue
        if unit is not None:
            open_code = _open_return_of_unit(unit)
            if open_code:
                note = {"code": "unit_in_open_return", "params": {"serial": unit.serial, "code": open_code}}
                errors.append(FieldError(f"{prefix}.serial", policy.explain(note), "duplicate_return"))
                continue
        wanted[line.pk] = wanted.get(line.pk, 0) + item.quantity
        already = returned.get(line.pk, 0)
        if wanted[line.pk] + already > line.quantity:
            params = {"left": max(line.quantity - already, 0), "bought": line.quantity, "returned": already}
            errors.append(
                FieldError(
                    f"{prefix}.quantity",
                    policy.explain({"code": "quantity_too_high", "params": params}),
                    "quantity_too_high",
                )
            )
            continue
        decision = policy.check_line(
            product=line.product,
            channel_id=order.channel_id,
            placed_at=order.placed_at,
            delivered_at=order.delivered_at,
            reason=reason,
            condition=item.condition,
            resolution=resolution,
            today=today,
            customer=customer,
        )
        checked.append(_Checked(line, line.product, unit, item.quantity, line.unit_price, item.condition, decision))
    raise_if(errors)
    return checked


def _checked_without_order(item: LineInput, prefix: str, errors: list[FieldError]) -> _Checked:
    product = Product.objects.filter(sku=item.sku.strip()).first()
    unit = Unit.objects.filter(serial=item.serial.strip()).first() if item.serial.strip() else None
    if product is None:
        errors.append(FieldError(f"{prefix}.sku", _("Unknown SKU '%(sku)s'") % {"sku": item.sku}, "unknown_sku"))
        product = Product()
    if item.serial.strip() and (unit is None or unit.product_id != product.pk):
        errors.append(FieldError(f"{prefix}.serial", _("Unknown serial for this product"), "unknown_serial"))
    if unit is not None and (open_code := _open_return_of_unit(unit)):
        note = {"code": "unit_in_open_return", "params": {"serial": unit.serial, "code": open_code}}
        errors.append(FieldError(f"{prefix}.serial", policy.explain(note), "duplicate_return"))
    price = item.unit_price if item.unit_price is not None else product.price
    decision = policy.LineDecision(eligible=False)
    decision.refuse("not_on_any_order")
    return _Checked(None, product, unit, item.quantity, max(int(price or 0), 0), item.condition, decision)


def _check_choices(reason: str, resolution: str, logistics: str, errors: list[FieldError]) -> None:
    if reason not in Reason.values:
        errors.append(FieldError("reason", _("Choose a reason"), "invalid_choice"))
    if resolution not in OFFERED_RESOLUTIONS:
        errors.append(FieldError("resolution", _("Choose how you want it resolved"), "invalid_choice"))
    if logistics not in Logistics.values:
        errors.append(FieldError("logistics", _("Choose pickup or drop-off"), "invalid_choice"))


def _check_pickup(logistics: str, carrier_code: str, pickup: PickupInput | None, errors: list[FieldError]) -> None:
    if logistics not in (Logistics.CARRIER_PICKUP, Logistics.STAFF_PICKUP):
        return
    if logistics == Logistics.CARRIER_PICKUP and carrier_code not in dict(returns_logistics.enabled_carriers()):
        errors.append(FieldError("carrier", _("Unknown carrier '%(code)s'") % {"code": carrier_code}, "invalid_choice"))
    if pickup is None or not pickup.street.strip() or not pickup.province_code.strip():
        errors.append(FieldError("pickup.street", _("Give the pickup address (street and province)"), "required"))
        return
    start, end = pickup.window_from, pickup.window_to
    if (start is None) != (end is None):
        errors.append(FieldError("pickup.window_to", _("Give both ends of the pickup window"), "required"))
    elif start is not None and end is not None:
        if start.tzinfo is None or end.tzinfo is None:
            errors.append(FieldError("pickup.window_from", _("Give a time zone"), "naive_datetime"))
        elif end <= start:
            errors.append(FieldError("pickup.window_to", _("The window must end after it starts"), "invalid"))
        elif end < clock.now():
            errors.append(FieldError("pickup.window_to", _("The pickup window is in the past"), "in_past"))


def _approval_limit(actor: Any) -> int | None:
    """The goodwill an actor may grant (None = unlimited)."""
    if getattr(actor, "is_superuser", False):
        return None
    limits = [
        group.approval_limit.max_goodwill_vnd
        for group in actor.groups.select_related("approval_limit").all()
        if hasattr(group, "approval_limit")
    ]
    return max(limits, default=0)


def check_goodwill(actor: Any, amount: int) -> None:
    """Refuse a goodwill exception above the actor's role limit (accounts.ApprovalLimit)."""
    limit = _approval_limit(actor)
    if limit is not None and amount > limit:
        raise refuse(
            "override_note",
            _("Accepting %(amount)s ₫ outside the policy is above your approval limit of %(limit)s ₫; ask a manager")
            % {"amount": f"{amount:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")},
            "over_approval_limit",
        )


def _warehouse(code: str | None) -> Warehouse | None:
    wanted = (code or "").strip() or conf.default_warehouse_code()
    if wanted:
        found = Warehouse.objects.filter(code=wanted).first()
        if found is None:
            raise refuse("warehouse", _("Unknown warehouse '%(code)s'") % {"code": wanted}, "unknown_warehouse")
        return found
    return exchanges.default_warehouse()


def create_return(
    *,
    actor: Any,
    customer: Customer,
    order: Order | None,
    lines: Sequence[LineInput],
    reason: str,
    resolution: str,
    logistics: str,
    origin: str = Origin.CONSOLE,
    carrier_code: str = "",
    pickup: PickupInput | None = None,
    warehouse_code: str | None = None,
    customer_note: str = "",
    exchange_sku: str = "",
    bank_account: dict[str, str] | None = None,
    photos: Sequence[UploadedPhoto] = (),
    idempotency_key: str | None = None,
    override_note: str = "",
    actor_label: str = "",
    today: dt.date | None = None,
    ticket_code: str = "",
) -> tuple[ReturnRequest, bool]:
    """Open an RMA after checking every line against the policy; returns (request, created).

    Ineligible lines need an agent override (permission + approval limit) with a note. A policy with
    auto-approval approves an all-eligible request at once. The same idempotency key returns the
    request it created before and changes nothing. With `ticket_code` the support ticket the return
    comes from is linked to it in the same transaction (a bad code is refused like any field).
    """
    key = (idempotency_key or "").strip()[:120] or None
    asked = Asked(customer, order, lines, reason, resolution, logistics)
    if key and (existing := ReturnRequest.objects.filter(idempotency_key=key).first()):
        return replayed(existing, asked), False
    errors: list[FieldError] = []
    carrier_code = (carrier_code or conf.default_carrier_code()).strip()
    _check_choices(reason, resolution, logistics, errors)
    _check_pickup(logistics, carrier_code, pickup, errors)
    if order is not None and order.customer_id != customer.pk:
        errors.append(FieldError("order", _("This order belongs to another customer"), "not_customer_order"))
    if order is not None and order.status == OrderStatus.CANCELLED:
        errors.append(FieldError("order", _("A cancelled order cannot be returned"), "order_cancelled"))
    if resolution == Resolution.EXCHANGE_OTHER and not Product.objects.filter(sku=exchange_sku.strip()).exists():
        errors.append(FieldError("exchange_sku", _("Choose the item to exchange for"), "unknown_sku"))
    workable = refunds.offered_resolutions(order) if resolution in refunds.REFUND_METHODS else None
    if workable is not None and resolution not in workable:
        errors.append(
            FieldError(
                "resolution",
                _(
                    "This order was not paid through VNPay or MoMo, so the money cannot go back that way: "
                    "choose bank transfer or store credit"
                ),
                "refund_method_not_possible",
            )
        )
    account = {k: str(v).strip()[:120] for k, v in (bank_account or {}).items() if k in ("bank", "number", "name")}
    if resolution == Resolution.BANK_TRANSFER and not all(account.get(k) for k in ("bank", "number", "name")):
        errors.append(FieldError("bank_account", _("Give the bank, account number and account holder"), "required"))
    if len(customer_note) > 2000:
        errors.append(FieldError("customer_note", _("The note is longer than 2000 characters"), "too_long"))
    ticket = None
    try:
        ticket = ticket_links.ticket_to_link(code=ticket_code, customer=customer, actor=actor)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    raise_if(errors)
    checked_photos = check_photos(photos)
    warehouse = _warehouse(warehouse_code)
    try:
        with transaction.atomic():
            # Lock what is being returned, then check: parallel requests for the same line or unit queue
            # here, and each one sees the returns the others committed (SQLite serialises writers anyway).
            _lock_returnable(order, lines)
            if key and (existing := ReturnRequest.objects.filter(idempotency_key=key).first()):
                return replayed(existing, asked), False
            checked = _check_lines(order, lines, reason, resolution, today or clock.today(), customer)
            if origin == Origin.PORTAL and resolution == Resolution.EXCHANGE_OTHER:  # staff may choose any item
                channel_id = order.channel_id if order is not None else None
                returned = [exchanges.Returned(i.product, i.unit_price, channel_id) for i in checked]
                quantity = sum(item.quantity for item in checked)
                exchanges.check_replacement(sku=exchange_sku, returned=returned, warehouse=warehouse, quantity=quantity)
            overriding = _check_override(actor, checked, override_note)
            request = _write(
                actor=actor,
                customer=customer,
                order=order,
                checked=checked,
                reason=reason,
                resolution=resolution,
                logistics=logistics,
                origin=origin,
                carrier_code=carrier_code if logistics == Logistics.CARRIER_PICKUP else "",
                pickup=pickup,
                warehouse=warehouse,
                customer_note=customer_note.strip(),
                exchange_sku=exchange_sku.strip(),
                bank_account=account,
                key=key,
                override_note=override_note.strip() if overriding else "",
                actor_label=actor_label,
            )
            save_photos(request, checked_photos)
            policy_row = request.policy
            if not overriding and policy_row is not None and policy_row.auto_approve:
                from haumai.returns.services.decisions import approve_return

                note = _("Approved automatically by the return policy")
                request = approve_return(actor=None, request=request, note=note)
            if ticket is not None:
                ticket_links.link_ticket(
                    actor=actor,
                    ticket=ticket,
                    kind="return",
                    subject=request,
                    record_code=request.code,
                    return_request=request,
                )
    except IntegrityError:
        if key and (existing := ReturnRequest.objects.filter(idempotency_key=key).first()):
            return replayed(existing, asked), False
        raise
    return request, True


def _lock_returnable(order: Order | None, lines: Sequence[LineInput]) -> None:
    """Lock the order (or, without one, the serialised units) that a new return would draw on."""
    if order is not None:
        list(Order.objects.select_for_update().filter(pk=order.pk).values_list("pk", flat=True))
        return
    serials = sorted({item.serial.strip() for item in lines if item.serial.strip()})
    if serials:
        list(Unit.objects.select_for_update().filter(serial__in=serials).order_by("pk").values_list("pk", flat=True))


def _check_override(actor: Any, checked: list[_Checked], override_note: str) -> bool:
    """Refuse ineligible lines unless an agent overrides them within their limit; True when overriding."""
    ineligible = [(index, item) for index, item in enumerate(checked) if not item.decision.eligible]
    overriding = bool(ineligible and override_note.strip())
    if ineligible and not overriding:
        raise ReturnNotEligible(
            [
                FieldError(f"lines.{index}", "; ".join(item.decision.messages), "not_eligible")
                for index, item in ineligible
            ]
        )
    if overriding:
        if actor is None or not getattr(actor, "has_perm", lambda _p: False)("returns.override_eligibility"):
            raise refuse("override_note", _("Only an agent may accept items outside the policy"), "forbidden")
        check_goodwill(actor, sum(item.quantity * item.unit_price for _index, item in ineligible))
    return overriding


def _write(
    *,
    actor: Any,
    customer: Customer,
    order: Order | None,
    checked: list[_Checked],
    reason: str,
    resolution: str,
    logistics: str,
    origin: str,
    carrier_code: str,
    pickup: PickupInput | None,
    warehouse: Warehouse | None,
    customer_note: str,
    exchange_sku: str,
    bank_account: dict[str, str],
    key: str | None,
    override_note: str,
    actor_label: str,
) -> ReturnRequest:
    user = actor if getattr(actor, "is_authenticated", False) else None
    policies = [item.decision.policy for item in checked if item.decision.policy is not None]
    governing: ReturnPolicy | None = policies[0] if policies else None
    pickup = pickup or PickupInput()
    pickup_fee, waived_by = policy.pickup_fee_for(
        customer=customer, reason=reason, logistics=logistics, base_fee=conf.pickup_fee_vnd()
    )
    request = ReturnRequest.objects.create(
        code=next_code(CODE_PREFIX),
        customer=customer,
        order=order,
        status=Status.REQUESTED,
        origin=origin,
        reason=reason,
        resolution=resolution,
        logistics=logistics,
        carrier_code=carrier_code,
        customer_note=customer_note,
        pickup_name=pickup.name.strip()[:160] or customer.full_name,
        pickup_phone=pickup.phone.strip()[:20] or (customer.phone or ""),
        pickup_street=pickup.street.strip()[:255],
        pickup_ward_code=pickup.ward_code.strip()[:10],
        pickup_province_code=pickup.province_code.strip()[:10],
        pickup_from=pickup.window_from,
        pickup_to=pickup.window_to,
        exchange_sku=exchange_sku,
        bank_account=bank_account,
        warehouse=warehouse,
        policy=governing,
        pickup_fee=pickup_fee,
        pickup_fee_waived_by=waived_by,
        idempotency_key=key,
        override_note=override_note,
        overridden_by=user if override_note else None,
        created_by=user,
        requested_at=clock.now(),
    )
    rows = []
    for item in checked:
        notes = list(item.decision.notes)
        overridden = not item.decision.eligible and bool(override_note)
        if overridden:
            notes.append(
                {"code": "overridden", "params": {"user": user.get_username() if user else "?", "note": override_note}}
            )
        rows.append(
            ReturnLine(
                request=request,
                order_line=item.order_line,
                product=item.product,
                unit=item.unit,
                quantity=item.quantity,
                unit_price=item.unit_price,
                condition=item.condition,
                eligible=item.decision.eligible,
                overridden=overridden,
                notes=notes,
            )
        )
    ReturnLine.objects.bulk_create(rows)
    payload = payload_for(
        request,
        origin=origin,
        logistics=logistics,
        value=sum(row.value for row in rows),
        lines=[
            {"sku": row.product.sku, "quantity": row.quantity, "serial": row.unit.serial if row.unit else None}
            for row in rows
        ],
        overridden=bool(override_note),
        pickup_fee=pickup_fee,
        pickup_fee_waived_by=waived_by,
    )
    record_event(
        name="return.requested",
        customer=customer,
        subject=request,
        actor=actor,
        actor_label=actor_label,
        payload=payload,
    )
    return request
