"""Resolving an inspected return: refund (payments app), store credit, exchange; closing; missing items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.events.services import record_event
from haumai.inventory import services as inventory_services
from haumai.inventory.models import Grade, MoveReason
from haumai.returns import logistics, refunds
from haumai.returns.models import Resolution, ReturnRequest, Status
from haumai.returns.policy import SELLER_FAULT_REASONS
from haumai.returns.services.common import clear_problem, flag_problem, lock, payload_for, refuse, transition
from haumai.sales import services as sales_services
from haumai.sales.models import Channel

REFUND_RESOLUTIONS = (Resolution.REFUND_ORIGINAL, Resolution.BANK_TRANSFER, Resolution.CASH, Resolution.STORE_CREDIT)
EXCHANGE_RESOLUTIONS = (Resolution.EXCHANGE_SAME, Resolution.EXCHANGE_OTHER)


def refund_due(request: ReturnRequest, *, received_only: bool = True) -> tuple[int, int]:
    """(amount to refund, restocking fee): value of the received (or all) units minus the policy fee and the
    carrier pickup fee decided when the return was requested."""
    value = sum(
        (line.received_quantity if received_only else line.quantity) * line.unit_price for line in request.lines.all()
    )
    percent = request.policy.restocking_fee_percent if request.policy else 0
    fee = 0 if request.reason in SELLER_FAULT_REASONS else value * percent // 100
    return max(0, value - fee - request.pickup_fee), fee


def waiting_for_missing_items(request: ReturnRequest) -> bool:
    """Whether some items did not arrive and their grace period is still running."""
    if request.due_at is None or request.due_at <= clock.now():
        return False
    return any(line.missing_quantity for line in request.lines.all())


def resolve_return(*, actor: Any, request: ReturnRequest) -> ReturnRequest:
    """Carry out the chosen resolution of an inspected return; failures are flagged on the return."""
    with transaction.atomic():
        locked = lock(request)
        if locked.status != Status.INSPECTED or waiting_for_missing_items(locked):
            return locked
        try:
            with transaction.atomic():
                if locked.resolution in REFUND_RESOLUTIONS:
                    _refund(locked, actor)
                elif locked.resolution in EXCHANGE_RESOLUTIONS:
                    _exchange(locked, actor)
                elif locked.resolution == Resolution.REPAIR:
                    # The repairs app opens the repair order from this event (haumai.repairs.handlers).
                    transition(locked, Status.REPAIRED, actor=actor, handed_to="repairs")
                else:
                    raise refuse("resolution", _("This resolution is handled by hand: return the item to the customer"))
        except DomainError as exc:
            flag_problem(locked, _("Resolution failed: %(error)s") % {"error": exc.message})
    return locked


def _refund(request: ReturnRequest, actor: Any) -> None:
    if request.refund_sent_at is not None:  # refunded on the first carrier scan
        mark_refund_sent(request=request, actor=actor)
        return
    if request.refund_code and request.refund_status not in ("failed",):
        return  # requested already; payments reports back through refund.* events
    amount, fee = refund_due(request)
    attempt = str(len(refunds.refunds_for(request)) + 1) if request.refund_code else "1"
    # The policy, not the warehouse clerk, decides the refund: payments sees the system as the actor.
    refund = refunds.request_refund(request=request, amount_vnd=amount, actor=None, attempt=attempt)
    request.refund_amount = amount
    request.restocking_fee = fee
    request.refund_code = str(getattr(refund, "code", "") or "")
    request.refund_status = str(getattr(refund, "status", "") or "requested")
    request.save(update_fields=["refund_amount", "restocking_fee", "refund_code", "refund_status", "updated_at"])
    clear_problem(request)
    record_event(
        name="return.refund_requested",
        customer=request.customer,
        subject=request,
        actor=actor,
        payload=payload_for(request, refund_code=request.refund_code, amount=amount, restocking_fee=fee),
    )
    if request.refund_status == "sent":
        mark_refund_sent(request=request, actor=actor)


def refund_early(*, actor: Any, request: ReturnRequest) -> None:
    """Refund a trusted customer when the carrier first scans the parcel (policy flag); call locked."""
    if request.refund_code or request.resolution not in REFUND_RESOLUTIONS:
        return
    amount, fee = refund_due(request, received_only=False)
    try:
        with transaction.atomic():
            refund = refunds.request_refund(request=request, amount_vnd=amount, actor=None, attempt="early")
    except DomainError as exc:
        flag_problem(request, _("Early refund failed: %(error)s") % {"error": exc.message})
        return
    request.refund_amount = amount
    request.restocking_fee = fee
    request.refund_code = str(getattr(refund, "code", "") or "")
    request.refund_status = str(getattr(refund, "status", "") or "requested")
    request.save(update_fields=["refund_amount", "restocking_fee", "refund_code", "refund_status", "updated_at"])
    record_event(
        name="return.refund_requested",
        customer=request.customer,
        subject=request,
        actor=actor,
        payload=payload_for(request, refund_code=request.refund_code, amount=amount, early=True),
    )


def mark_refund_sent(*, request: ReturnRequest, actor: Any, refund_code: str = "") -> None:
    """Money reached the customer: record it, and finish an inspected return (call on a locked row)."""
    if request.refund_sent_at is None:
        request.refund_sent_at = clock.now()
        request.refund_status = "sent"
        if refund_code:
            request.refund_code = refund_code
        request.save(update_fields=["refund_sent_at", "refund_status", "refund_code", "updated_at"])
    clear_problem(request)
    if request.status == Status.INSPECTED and not waiting_for_missing_items(request):
        target = Status.STORE_CREDITED if request.resolution == Resolution.STORE_CREDIT else Status.REFUNDED
        transition(request, target, actor=actor, refund_code=request.refund_code, amount=request.refund_amount)


def _exchange(request: ReturnRequest, actor: Any) -> None:
    lines = [line for line in request.lines.select_related("product") if line.received_quantity]
    if request.resolution == Resolution.EXCHANGE_SAME:
        wanted = [(line.product, line.received_quantity, 0) for line in lines]
        difference = 0
    else:
        product = Product.objects.filter(sku=request.exchange_sku).first()
        if product is None:
            raise refuse("exchange_sku", _("The item to exchange for no longer exists"))
        quantity = sum(line.received_quantity for line in lines)
        wanted = [(product, quantity, product.price)]
        difference = product.price * quantity - sum(line.received_quantity * line.unit_price for line in lines)
    if request.warehouse is None:
        raise refuse("warehouse", _("Choose the warehouse the replacement is taken from"))
    channel = request.order.channel if request.order else Channel.objects.order_by("pk").first()
    if channel is None:
        raise refuse("channel", _("No sales channel exists for the replacement order"))
    order, _created = sales_services.upsert_order(
        actor=actor,
        channel_code=channel.code,
        customer=sales_services.CustomerRef(code=request.customer.code),
        lines=[
            sales_services.OrderLineInput(sku=product.sku, quantity=quantity, unit_price=price)
            for product, quantity, price in wanted
        ],
        external_id=f"{request.code}-EXCHANGE",
        placed_at=clock.now().replace(microsecond=0),
        payment_method="exchange",
        status="confirmed",
    )
    # No reservation concept exists: the replacement leaves stock now, referenced by the RMA code.
    for product, quantity, _price in wanted:
        inventory_services.move_stock(
            actor=actor,
            product=product,
            warehouse=request.warehouse,
            grade=Grade.NEW,
            quantity=-quantity,
            reason=MoveReason.SALE,
            reference=request.code,
        )
    request.exchange_order_code = order.code
    request.save(update_fields=["exchange_order_code", "updated_at"])
    if difference < 0:
        refund = refunds.request_refund(
            request=request, amount_vnd=-difference, actor=None, attempt="difference", method="store_credit"
        )
        request.refund_code = str(getattr(refund, "code", "") or "")
        request.refund_amount = -difference
        request.save(update_fields=["refund_code", "refund_amount", "updated_at"])
    clear_problem(request)
    not_booked = _ship_replacement(request, order.code, [(p, q) for p, q, _price in wanted], actor)
    transition(
        request, Status.EXCHANGED, actor=actor, exchange_order_code=order.code, price_difference=difference
    )
    if not_booked:
        flag_problem(request, _("The replacement was not booked with a carrier: %(error)s") % {"error": not_booked})


def _ship_replacement(request: ReturnRequest, order_code: str, items: list[tuple[Product, int]], actor: Any) -> str:
    """Book the replacement's outbound shipment; '' when booked, else why not (the exchange stands)."""
    try:
        with transaction.atomic():
            logistics.book_replacement_shipment(request=request, order_code=order_code, items=items, actor=actor)
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        return f"{exc.message} {details}".strip()
    return ""


def return_to_customer(*, actor: Any, request: ReturnRequest, note: str) -> ReturnRequest:
    """The inspection refused the claim (e.g. damage by use): the item goes back to the customer."""
    if not note.strip():
        raise refuse("note", _("Say why the item goes back; the customer will read it"), "required")
    with transaction.atomic():
        locked = lock(request)
        locked.decision_note = note.strip()[:2000]
        transition(locked, Status.RETURNED_TO_CUSTOMER, actor=actor, note=locked.decision_note)
        locked.save(update_fields=["decision_note", "updated_at"])
    return locked


def close_return(*, actor: Any, request: ReturnRequest) -> ReturnRequest:
    """Close a resolved return (closing a closed return changes nothing)."""
    with transaction.atomic():
        locked = lock(request)
        if locked.status == Status.CLOSED:
            return locked
        transition(locked, Status.CLOSED, actor=actor)
    return locked


def pending_missing_items() -> Any:
    """Returns whose missing-item grace period is running (scheduler source)."""
    return ReturnRequest.objects.filter(due_at__isnull=False)


def handle_missing_items_due(requests: Sequence[ReturnRequest]) -> None:
    """The grace period ended: stop waiting and resolve with what arrived (a partial refund)."""
    for request in requests:
        ReturnRequest.objects.filter(pk=request.pk).update(due_at=None)
        request.due_at = None
        missing = [
            {"sku": line.product.sku, "missing": line.missing_quantity}
            for line in request.lines.select_related("product")
            if line.missing_quantity
        ]
        record_event(
            name="return.missing_items_given_up",
            customer=request.customer,
            subject=request,
            payload=payload_for(request, missing=missing),
        )
        if request.status == Status.INSPECTED:
            resolve_return(actor=None, request=request)
