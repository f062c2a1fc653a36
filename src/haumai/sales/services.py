"""Writes about orders: idempotent upsert by (channel, external id) and the order state machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog import selectors as catalog_selectors
from haumai.catalog import services as catalog_services
from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.customers import selectors as customer_selectors
from haumai.customers import services as customer_services
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.sales.bulk import order_fingerprint
from haumai.sales.models import Channel, Order, OrderLine, OrderStatus, Store

ORDER_CODE_PREFIX = "ORD"
# Bounds keep totals far inside the 64-bit columns (and catch unit mix-ups such as prices in xu).
MAX_LINE_QUANTITY = 100_000
MAX_UNIT_PRICE = 100_000_000_000

# The order state machine: each state and the states it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.PLACED: (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
    OrderStatus.CONFIRMED: (OrderStatus.SHIPPED, OrderStatus.CANCELLED),
    OrderStatus.SHIPPED: (OrderStatus.DELIVERED, OrderStatus.CANCELLED),
    OrderStatus.DELIVERED: (OrderStatus.COMPLETED,),
    OrderStatus.COMPLETED: (),
    OrderStatus.CANCELLED: (),
}
DELIVERED_STATES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


@dataclass(frozen=True)
class OrderLineInput:
    """One line as pushed by a channel: product by SKU, optional serial/IMEI for one unit."""

    sku: str
    quantity: int
    unit_price: int
    serial: str | None = None
    imei: str | None = None


@dataclass(frozen=True)
class CustomerRef:
    """Who bought: an existing customer code, or a phone (+ name to create a new customer)."""

    code: str | None = None
    phone: str | None = None
    full_name: str = ""
    email: str | None = None


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_lines(lines: Sequence[OrderLineInput], errors: list[FieldError]) -> dict[str, Product]:
    if not lines:
        errors.append(FieldError("lines", _("An order needs at least one line"), "required"))
        return {}
    products = catalog_selectors.products_by_sku({line.sku.strip() for line in lines})
    serials: set[str] = set()
    for index, line in enumerate(lines):
        field = f"lines.{index}"
        if line.sku.strip() not in products:
            errors.append(FieldError(f"{field}.sku", _("Unknown SKU %(sku)s") % {"sku": line.sku}, "unknown_sku"))
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity < 1:
            errors.append(
                FieldError(
                    f"{field}.quantity",
                    _("Quantity must be a whole number, 1 or more (got %(q)s)") % {"q": line.quantity},
                    "min_value",
                )
            )
        elif line.quantity > MAX_LINE_QUANTITY:
            errors.append(
                FieldError(
                    f"{field}.quantity",
                    _("Quantity is too large (at most %(max)s)") % {"max": MAX_LINE_QUANTITY},
                    "max_value",
                )
            )
        if not _is_amount(line.unit_price):
            errors.append(
                FieldError(
                    f"{field}.unit_price",
                    _("Price must be a whole number of VND, 0 or more (got %(p)s)") % {"p": line.unit_price},
                    "invalid_amount",
                )
            )
        elif line.unit_price > MAX_UNIT_PRICE:
            errors.append(
                FieldError(
                    f"{field}.unit_price",
                    _("Price is too large (at most %(max)s VND)") % {"max": MAX_UNIT_PRICE},
                    "max_value",
                )
            )
        identifier = (line.serial or "").strip() or (line.imei or "").strip()
        if identifier:
            if line.quantity != 1:
                errors.append(
                    FieldError(
                        f"{field}.quantity", _("A line with a serial/IMEI is for exactly one unit"), "serial_quantity"
                    )
                )
            if identifier in serials:
                errors.append(
                    FieldError(
                        f"{field}.serial",
                        _("Serial %(serial)s appears twice in this order") % {"serial": identifier},
                        "duplicate_serial",
                    )
                )
            serials.add(identifier)
    return products


def _customer_key(ref: CustomerRef, errors: list[FieldError]) -> dict[str, Any]:
    """Validate the customer reference; return its normalized form (part of the content hash)."""
    if ref.code:
        return {"code": ref.code.strip().upper()}
    if not ref.phone:
        errors.append(
            FieldError("customer.phone", _("Give the customer's phone (or an existing customer code)"), "required")
        )
        return {}
    try:
        phone = normalize_phone(ref.phone)
    except InvalidPhone as exc:
        errors.append(
            FieldError("customer.phone", _("Invalid phone number: %(reason)s") % {"reason": exc}, "invalid_phone")
        )
        return {}
    return {"phone": phone, "full_name": " ".join(ref.full_name.split()), "email": (ref.email or "").strip().lower()}


def _fingerprint_phone(customer_key: dict[str, Any]) -> str:
    """The customer part of the fingerprint: the E.164 phone (as in CSV imports), else the customer's phone."""
    if "phone" in customer_key:
        return str(customer_key["phone"])
    phone = Customer.objects.filter(code=customer_key["code"]).values_list("phone", flat=True).first()
    return phone or "customer:" + customer_key["code"]


def _existing(channel: Channel, external_id: str, fingerprint: str) -> Order | None:
    order = Order.objects.filter(channel=channel, external_id=external_id).first()
    if order is None:
        return None
    if order.content_hash != fingerprint:
        raise Conflict(
            _(
                "Order %(external_id)s from channel %(channel)s was already received (%(code)s) with different "
                "content; send the same content to replay it, or change its status with the status endpoint"
            )
            % {"external_id": external_id, "channel": channel.code, "code": order.code},
            code="idempotency_conflict",
        )
    return order


def upsert_order(
    *,
    actor: Any,
    channel_code: str,
    customer: CustomerRef,
    lines: Sequence[OrderLineInput],
    external_id: str | None = None,
    placed_at: dt.datetime | None = None,
    store_code: str | None = None,
    payment_method: str = "",
    status: str = OrderStatus.PLACED,
    delivered_at: dt.datetime | None = None,
    actor_label: str = "",
) -> tuple[Order, bool]:
    """Create an order, or return the one already received with the same (channel, external id) and content.

    Returns (order, created). Same external id with other content raises Conflict; nothing changes.
    """
    errors: list[FieldError] = []
    channel = Channel.objects.filter(code=(channel_code or "").strip()).first()
    if channel is None:
        errors.append(
            FieldError("channel", _("Unknown channel '%(code)s'") % {"code": channel_code}, "unknown_channel")
        )
    store = None
    if store_code:
        store = Store.objects.filter(code=store_code.strip()).first()
        if store is None:
            errors.append(FieldError("store", _("Unknown store '%(code)s'") % {"code": store_code}, "unknown_store"))
    if status not in OrderStatus.values:
        errors.append(
            FieldError(
                "status",
                _("Unknown status '%(status)s' (one of: %(allowed)s)")
                % {"status": status, "allowed": ", ".join(OrderStatus.values)},
                "invalid_choice",
            )
        )
    for name, moment in (("placed_at", placed_at), ("delivered_at", delivered_at)):
        if moment is not None and moment.tzinfo is None:
            errors.append(FieldError(name, _("Give a time zone (e.g. 2026-01-31T10:00:00+07:00)"), "naive_datetime"))
    external = (external_id or "").strip() or None
    if external and placed_at is None:
        errors.append(
            FieldError("placed_at", _("placed_at is required with external_id (it identifies the order)"), "required")
        )
    customer_key = _customer_key(customer, errors)
    products = _check_lines(lines, errors)
    _raise_if(errors)
    assert channel is not None
    # The same fingerprint as CSV imports (sales.bulk), so an order pushed by the API and re-imported
    # from a file (or the other way round) is recognised as the same order.
    fingerprint = order_fingerprint(
        channel=channel.code,
        external_id=external or "",
        placed_at=placed_at or clock.now(),
        status=status,
        customer_phone=_fingerprint_phone(customer_key),
        store=store.code if store else "",
        delivered_at=delivered_at,
        lines=[
            (line.sku.strip(), line.quantity, line.unit_price, (line.serial or "").strip(), (line.imei or "").strip())
            for line in lines
        ],
    )
    if external:
        found = _existing(channel, external, fingerprint)
        if found is not None:
            return found, False
    try:
        order = _create_order(
            actor=actor,
            actor_label=actor_label,
            channel=channel,
            store=store,
            customer=customer,
            customer_key=customer_key,
            lines=lines,
            products=products,
            external_id=external,
            placed_at=placed_at or clock.now(),
            delivered_at=delivered_at,
            status=status,
            payment_method=payment_method.strip(),
            fingerprint=fingerprint,
        )
    except IntegrityError:
        # Another request stored the same (channel, external id) first: treat as a replay.
        if external:
            found = _existing(channel, external, fingerprint)
            if found is not None:
                return found, False
        raise Conflict(
            _("Another request changed the same order or serial numbers at the same time; send it again"),
            code="concurrent_change",
        ) from None
    return order, True


def _resolve_customer(actor: Any, ref: CustomerRef, key: dict[str, Any], actor_label: str) -> Customer:
    if "code" in key:
        try:
            return customer_selectors.customer_by_code(key["code"], detail=False)
        except NotFound as exc:
            raise ValidationFailed(
                _("Some fields are invalid"),
                [
                    FieldError(
                        "customer.code", _("No customer with code %(code)s") % {"code": key["code"]}, "unknown_customer"
                    )
                ],
            ) from exc
    customer, _created = customer_services.find_or_create_customer(
        actor=actor,
        phone=key["phone"],
        full_name=ref.full_name,
        email=ref.email or None,
        field="customer.phone",
        actor_label=actor_label,
    )
    return customer


@transaction.atomic
def _create_order(
    *,
    actor: Any,
    actor_label: str,
    channel: Channel,
    store: Store | None,
    customer: CustomerRef,
    customer_key: dict[str, Any],
    lines: Sequence[OrderLineInput],
    products: dict[str, Product],
    external_id: str | None,
    placed_at: dt.datetime,
    delivered_at: dt.datetime | None,
    status: str,
    payment_method: str,
    fingerprint: str,
) -> Order:
    buyer = _resolve_customer(actor, customer, customer_key, actor_label)
    if status in DELIVERED_STATES and delivered_at is None:
        delivered_at = placed_at
    order = Order.objects.create(
        code=next_code(ORDER_CODE_PREFIX),
        channel=channel,
        external_id=external_id,
        customer=buyer,
        store=store,
        status=status,
        placed_at=placed_at,
        delivered_at=delivered_at,
        total=sum(line.quantity * line.unit_price for line in lines),
        payment_method=payment_method,
        content_hash=fingerprint,
    )
    rows = []
    for index, line in enumerate(lines):
        product = products[line.sku.strip()]
        unit = None
        if (line.serial or "").strip() or (line.imei or "").strip():
            try:
                unit = catalog_services.sell_unit(
                    actor=actor, product=product, serial=line.serial, imei=line.imei, field_prefix=f"lines.{index}."
                )
            except catalog_services.UnitAlreadySold as exc:
                sold_on = (
                    OrderLine.objects.filter(unit=exc.unit)
                    .exclude(order=order)
                    .select_related("order")
                    .order_by("-id")
                    .first()
                )
                where = sold_on.order.code if sold_on else _("another order")
                raise ValidationFailed(
                    _("Some fields are invalid"),
                    [
                        FieldError(
                            f"lines.{index}.serial",
                            _("Serial %(serial)s was already sold on order %(order)s")
                            % {"serial": exc.unit.serial, "order": where},
                            "serial_already_sold",
                        )
                    ],
                ) from exc
        rows.append(
            OrderLine(
                order=order,
                product=product,
                unit=unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.quantity * line.unit_price,
            )
        )
    OrderLine.objects.bulk_create(rows)
    if status == OrderStatus.CANCELLED:
        # A cancelled order (e.g. imported history) links its serials but does not keep them sold.
        catalog_services.release_units(actor=actor, unit_ids=[row.unit_id for row in rows if row.unit_id])
    payload = {
        "code": order.code,
        "channel": channel.code,
        "external_id": external_id,
        "total": order.total,
        "status": status,
    }
    record_event(
        name="order.created", customer=buyer, subject=order, actor=actor, actor_label=actor_label, payload=payload
    )
    if status in DELIVERED_STATES:
        record_event(
            name="order.delivered", customer=buyer, subject=order, actor=actor, actor_label=actor_label, payload=payload
        )
    return order


def change_order_status(*, actor: Any, order: Order, status: str, at: dt.datetime | None = None) -> Order:
    """Move an order along its state machine; setting the current status again changes nothing."""
    if status not in OrderStatus.values:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    "status",
                    _("Unknown status '%(status)s' (one of: %(allowed)s)")
                    % {"status": status, "allowed": ", ".join(OrderStatus.values)},
                    "invalid_choice",
                )
            ],
        )
    if at is not None and at.tzinfo is None:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("at", _("Give a time zone"), "naive_datetime")]
        )
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("customer", "channel").get(pk=order.pk)
        previous = locked.status
        if previous == status:
            return locked
        allowed = TRANSITIONS[previous]
        if status not in allowed:
            raise Conflict(
                _("Order %(code)s cannot go from %(from)s to %(to)s (allowed next: %(allowed)s)")
                % {"code": locked.code, "from": previous, "to": status, "allowed": ", ".join(allowed) or _("none")},
                code="invalid_transition",
            )
        moment = at or clock.now()
        locked.status = status
        fields = ["status", "updated_at"]
        if status == OrderStatus.DELIVERED:
            locked.delivered_at = moment
            fields.append("delivered_at")
        locked.save(update_fields=fields)
        if status == OrderStatus.CANCELLED:
            unit_ids = [uid for uid in locked.lines.values_list("unit_id", flat=True) if uid is not None]
            if unit_ids:
                catalog_services.release_units(actor=actor, unit_ids=unit_ids)
        payload = {"code": locked.code, "from_status": previous, "to_status": status, "at": moment.isoformat()}
        record_event(
            name="order.status_changed", customer=locked.customer, subject=locked, actor=actor, payload=payload
        )
        record_event(name=f"order.{status}", customer=locked.customer, subject=locked, actor=actor, payload=payload)
    return locked


def reassign_customer_orders(*, source: Customer, target: Customer) -> int:
    """Move every order of `source` to `target` (customer merge); returns how many moved."""
    return Order.objects.filter(customer=source).update(customer=target)
