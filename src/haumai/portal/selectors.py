"""Portal reads: the logged-in customer, their orders with delivery steps, and the public lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.catalog import selectors as catalog_selectors
from haumai.catalog.models import WarrantyStart
from haumai.core.errors import DomainError, NotFound
from haumai.customers import selectors as customer_selectors
from haumai.customers.models import Customer, Identity, IdentityKind
from haumai.events.models import Event
from haumai.sales import selectors as sales_selectors
from haumai.sales.models import Order, OrderLine, OrderStatus
from haumai.warranty import selectors as warranty_selectors

DELIVERY_STEPS: tuple[tuple[str, Promise], ...] = (
    (OrderStatus.PLACED, gettext_lazy("Placed")),
    (OrderStatus.CONFIRMED, gettext_lazy("Confirmed")),
    (OrderStatus.SHIPPED, gettext_lazy("Shipped")),
    (OrderStatus.DELIVERED, gettext_lazy("Delivered")),
)
_STEP_INDEX = {status: index for index, (status, _label) in enumerate(DELIVERY_STEPS)}
_STEP_EVENTS = {f"order.{status}": status for status, _label in DELIVERY_STEPS}


@dataclass(frozen=True)
class DeliveryStep:
    """One step of an order's way to the customer: reached or not, and when (if known)."""

    status: str
    label: Promise
    reached: bool
    at: dt.datetime | None


@dataclass(frozen=True)
class WarrantyTerms:
    """A line's warranty as recorded (haumai.warranty), or the product's terms when no record exists yet."""

    months: int
    provider_label: str
    state: str  # none, not_started, from_activation, or a warranty state (active, expired, pending, void, replaced)
    sentence: str


@dataclass
class OrderView:
    """An order with its delivery steps (and, for the lookup, warranty terms per line)."""

    order: Order
    steps: list[DeliveryStep]
    lines: list[OrderLine]
    warranties: dict[int, WarrantyTerms] = field(default_factory=dict)

    @property
    def lines_with_warranty(self) -> list[tuple[OrderLine, WarrantyTerms | None]]:
        """Each line with its warranty terms (when computed)."""
        return [(line, self.warranties.get(line.pk)) for line in self.lines]

    @property
    def cancelled(self) -> bool:
        """Whether the order was cancelled."""
        return self.order.status == OrderStatus.CANCELLED


@dataclass(frozen=True)
class LookupResult:
    """What the public lookup may show: the order, its lines and warranties, and a first name only."""

    view: OrderView
    first_name: str


def portal_customer(customer_id: object) -> Customer | None:
    """The customer stored in a portal session, or None."""
    if not isinstance(customer_id, int) or isinstance(customer_id, bool):
        return None
    return Customer.objects.filter(pk=customer_id).first()


def customer_for_phone(e164: str) -> Customer | None:
    """The customer with this phone (their own or a phone identity), or None."""
    try:
        return customer_selectors.customer_by_phone(e164)
    except DomainError:
        return None


def customer_for_email(email: str) -> Customer | None:
    """The customer with this e-mail identity, else the only customer with this e-mail; None if unsure."""
    identity = Identity.objects.select_related("customer").filter(kind=IdentityKind.EMAIL, value=email).first()
    if identity is not None:
        return identity.customer
    matches = list(Customer.objects.filter(email=email)[:2])
    return matches[0] if len(matches) == 1 else None


def _step_times(orders: list[Order]) -> dict[int, dict[str, dt.datetime]]:
    """When each order reached confirmed/shipped/delivered, from the event table (one query)."""
    times: dict[int, dict[str, dt.datetime]] = {order.pk: {} for order in orders}
    if not orders:
        return times
    rows = Event.objects.filter(
        subject_type=Order._meta.label_lower,
        subject_id__in=[str(order.pk) for order in orders],
        name__in=list(_STEP_EVENTS),
    ).values_list("subject_id", "name", "occurred_at", "payload")
    for subject_id, name, occurred_at, payload in rows:
        moment = occurred_at
        given = payload.get("at") if isinstance(payload, dict) else None
        if isinstance(given, str):
            try:
                moment = dt.datetime.fromisoformat(given)
            except ValueError:
                moment = occurred_at
        times[int(subject_id)][_STEP_EVENTS[name]] = moment
    return times


def _steps(order: Order, times: dict[str, dt.datetime]) -> list[DeliveryStep]:
    if order.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        reached_index = _STEP_INDEX[OrderStatus.DELIVERED]
    elif order.status == OrderStatus.CANCELLED:
        reached_index = max((_STEP_INDEX[status] for status in times), default=0)
    else:
        reached_index = _STEP_INDEX.get(order.status, 0)
    known = {**times, OrderStatus.PLACED: order.placed_at}
    if order.delivered_at is not None:
        known[OrderStatus.DELIVERED] = order.delivered_at
    return [
        DeliveryStep(status=status, label=label, reached=index <= reached_index, at=known.get(status))
        for index, (status, label) in enumerate(DELIVERY_STEPS)
    ]


def _views(orders: list[Order]) -> list[OrderView]:
    times = _step_times(orders)
    return [OrderView(order=o, steps=_steps(o, times[o.pk]), lines=list(o.lines.all())) for o in orders]


def my_orders(
    customer: Customer, *, after: tuple[dt.datetime, int] | None = None, limit: int = 10
) -> tuple[list[OrderView], tuple[dt.datetime, int] | None]:
    """A customer's orders newest first, one keyset page, and the cursor of the next page (or None)."""
    orders = sales_selectors.order_list(customer_code=customer.code, after=after, limit=limit)
    page, more = orders[:limit], len(orders) > limit
    cursor = (page[-1].placed_at, page[-1].pk) if more and page else None
    return _views(page), cursor


def my_order(customer: Customer, code: str) -> OrderView:
    """One of the customer's own orders; another customer's order is NotFound, like an unknown code."""
    order = sales_selectors.order_by_code(code)
    if order.customer_id != customer.pk:
        raise NotFound(_("Order not found"))
    return _views([order])[0]


def line_warranties(lines: list[OrderLine]) -> dict[int, WarrantyTerms]:
    """Each line's warranty from the warranty records (one query); terms only for lines without a record."""
    records = warranty_selectors.warranties_for_lines([line.pk for line in lines])
    result: dict[int, WarrantyTerms] = {}
    for line in lines:
        product = line.product
        provider = str(product.get_warranty_provider_display())
        record = records.get(line.pk)
        if record is not None:
            answer = warranty_selectors.answer(record)
            result[line.pk] = WarrantyTerms(product.warranty_months, provider, answer.state, answer.sentence)
        elif not product.warranty_months:
            result[line.pk] = WarrantyTerms(0, provider, "none", "")
        elif product.warranty_start == WarrantyStart.ACTIVATION:
            result[line.pk] = WarrantyTerms(product.warranty_months, provider, "from_activation", "")
        else:
            result[line.pk] = WarrantyTerms(product.warranty_months, provider, "not_started", "")
    return result


def _lookup_result(order: Order, lines: list[OrderLine] | None = None) -> LookupResult:
    view = _views([order])[0]
    if lines is not None:
        view.lines = lines
    view.warranties = line_warranties(view.lines)
    words = order.customer.full_name.split()
    return LookupResult(view=view, first_name=words[-1] if words else "")


def lookup_by_order(*, phone: str, code: str) -> LookupResult:
    """An order by code when the phone (E.164) belongs to its customer; otherwise NotFound."""
    try:
        order = sales_selectors.order_by_code(code)
    except NotFound:
        raise NotFound(_("Nothing found")) from None
    owner = customer_for_phone(phone)
    if owner is None or owner.pk != order.customer_id:
        raise NotFound(_("Nothing found"))
    return _lookup_result(order)


def lookup_by_serial(*, serial: str) -> LookupResult:
    """The sale of one unit by serial or IMEI, showing only that unit's line; otherwise NotFound."""
    try:
        unit = catalog_selectors.unit_by_serial(serial)
    except NotFound:
        raise NotFound(_("Nothing found")) from None
    sold = (
        OrderLine.objects.filter(unit=unit)
        .exclude(order__status=OrderStatus.CANCELLED)
        .select_related("order")
        .order_by("-order__placed_at", "-id")
        .first()
    )
    if sold is None:
        raise NotFound(_("Nothing found"))
    order = sales_selectors.order_by_code(sold.order.code)
    return _lookup_result(order, [line for line in order.lines.all() if line.unit_id == unit.pk])
